using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace SupportBot.Core.Conversations;

/// <summary>The embedded default: history in this process only (one replica, lost on restart).</summary>
internal sealed class InMemoryConversationStore(IOptions<ConversationOptions> options, TimeProvider time) : IConversationStore
{
    private readonly ConcurrentDictionary<string, Thread> _threads = new(StringComparer.Ordinal);

    public Task AppendAsync(ConversationRef conversation, ConversationTurn turn, CancellationToken cancellationToken)
    {
        var thread = _threads.GetOrAdd(conversation.Key, _ => new Thread());
        lock (thread)
        {
            thread.Turns.Add(turn);
            var excess = thread.Turns.Count - options.Value.HistoryLimit;
            if (excess > 0)
            {
                thread.Turns.RemoveRange(0, excess);
            }

            thread.LastWrite = time.GetUtcNow();
        }

        Sweep();
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<ConversationTurn>> GetHistoryAsync(ConversationRef conversation, CancellationToken cancellationToken)
    {
        if (!_threads.TryGetValue(conversation.Key, out var thread))
        {
            return Task.FromResult<IReadOnlyList<ConversationTurn>>([]);
        }

        lock (thread)
        {
            if (Expired(thread))
            {
                return Task.FromResult<IReadOnlyList<ConversationTurn>>([]);
            }

            return Task.FromResult<IReadOnlyList<ConversationTurn>>([.. thread.Turns]);
        }
    }

    public Task SetContextAsync(ConversationRef conversation, IReadOnlyDictionary<string, string> values, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(values);
        var thread = _threads.GetOrAdd(conversation.Key, _ => new Thread());
        lock (thread)
        {
            if (Expired(thread))
            {
                thread.Turns.Clear();
                thread.Context.Clear();
            }

            foreach (var (key, value) in values)
            {
                thread.Context[key] = value;
            }

            thread.LastWrite = time.GetUtcNow();
        }

        Sweep();
        return Task.CompletedTask;
    }

    public Task<IReadOnlyDictionary<string, string>> GetContextAsync(ConversationRef conversation, CancellationToken cancellationToken)
    {
        if (!_threads.TryGetValue(conversation.Key, out var thread))
        {
            return Task.FromResult<IReadOnlyDictionary<string, string>>(new Dictionary<string, string>());
        }

        lock (thread)
        {
            return Task.FromResult<IReadOnlyDictionary<string, string>>(Expired(thread) ? new Dictionary<string, string>() : new Dictionary<string, string>(thread.Context, StringComparer.Ordinal));
        }
    }

    private bool Expired(Thread thread) => time.GetUtcNow() - thread.LastWrite > options.Value.HistoryTtl;

    // Expiry is enforced on read; this keeps memory bounded for threads nobody reads again.
    private void Sweep()
    {
        if (_threads.Count < 10_000)
        {
            return;
        }

        foreach (var (key, thread) in _threads)
        {
            if (Expired(thread))
            {
                _threads.TryRemove(key, out _);
            }
        }
    }

    private sealed class Thread
    {
        public List<ConversationTurn> Turns { get; } = [];

        public Dictionary<string, string> Context { get; } = new(StringComparer.Ordinal);

        public DateTimeOffset LastWrite { get; set; }
    }
}
