using System.Collections.Concurrent;
using SupportBot.Core.Surfaces;

namespace SupportBot.Core.State;

/// <summary>The embedded default outbox (single process only): a message's entries go when it is done, or expire.</summary>
internal sealed class InMemoryReplyOutbox(TimeProvider time) : IReplyOutbox
{
    private readonly ConcurrentDictionary<string, Entries> _messages = new(StringComparer.Ordinal);

    public Task<OutboxEntry?> BeginAsync(string message, int reply, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        Purge(now);
        var entries = _messages.GetOrAdd(message, _ => new Entries());
        lock (entries)
        {
            entries.Expires = now + IReplyOutbox.Retention;
            if (entries.Replies.TryGetValue(reply, out var earlier))
            {
                return Task.FromResult<OutboxEntry?>(earlier);
            }

            entries.Replies[reply] = new OutboxEntry(null);
            return Task.FromResult<OutboxEntry?>(null);
        }
    }

    public Task RecordPostedAsync(string message, int reply, PostedReply posted, CancellationToken cancellationToken)
    {
        var entries = _messages.GetOrAdd(message, _ => new Entries());
        lock (entries)
        {
            entries.Replies[reply] = new OutboxEntry(posted);
        }

        return Task.CompletedTask;
    }

    public Task ForgetAsync(string message, CancellationToken cancellationToken)
    {
        _messages.TryRemove(message, out _);
        return Task.CompletedTask;
    }

    private void Purge(DateTimeOffset now)
    {
        if (_messages.Count < 1024)
        {
            return;
        }

        foreach (var (key, entries) in _messages)
        {
            if (entries.Expires <= now)
            {
                _messages.TryRemove(key, out _);
            }
        }
    }

    private sealed class Entries
    {
        public Dictionary<int, OutboxEntry> Replies { get; } = [];

        public DateTimeOffset Expires { get; set; }
    }
}
