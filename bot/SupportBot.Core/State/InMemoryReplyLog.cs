using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using SupportBot.Core.Conversations;
using SupportBot.Core.Surfaces;

namespace SupportBot.Core.State;

/// <summary>The embedded default reply log (single process only).</summary>
internal sealed class InMemoryReplyLog(IOptions<ConversationOptions> options, TimeProvider time) : IReplyLog
{
    private readonly ConcurrentDictionary<string, List<LoggedReply>> _threads = new(StringComparer.Ordinal);

    public Task<long> AppendAsync(ConversationRef conversation, string inReplyTo, Reply reply, CancellationToken cancellationToken)
    {
        var list = _threads.GetOrAdd(conversation.Key, _ => []);
        lock (list)
        {
            var seq = list.Count == 0 ? 1 : list[^1].Seq + 1;
            list.Add(new LoggedReply(seq, inReplyTo, reply, time.GetUtcNow()));
            var excess = list.Count - options.Value.HistoryLimit;
            if (excess > 0)
            {
                list.RemoveRange(0, excess);
            }

            return Task.FromResult(seq);
        }
    }

    public Task<IReadOnlyList<LoggedReply>> ReadAfterAsync(ConversationRef conversation, long afterSeq, CancellationToken cancellationToken)
    {
        if (!_threads.TryGetValue(conversation.Key, out var list))
        {
            return Task.FromResult<IReadOnlyList<LoggedReply>>([]);
        }

        lock (list)
        {
            var cutoff = time.GetUtcNow() - options.Value.HistoryTtl;
            return Task.FromResult<IReadOnlyList<LoggedReply>>([.. list.Where(r => r.Seq > afterSeq && r.At > cutoff)]);
        }
    }
}
