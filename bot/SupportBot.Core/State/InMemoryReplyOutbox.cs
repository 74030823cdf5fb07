using System.Collections.Concurrent;
using SupportBot.Core.Surfaces;

namespace SupportBot.Core.State;

/// <summary>The embedded default outbox (single process only): entries expire after <see cref="IReplyOutbox.Retention"/>.</summary>
internal sealed class InMemoryReplyOutbox(TimeProvider time) : IReplyOutbox
{
    private readonly ConcurrentDictionary<string, (OutboxEntry Entry, DateTimeOffset Expires)> _entries = new(StringComparer.Ordinal);

    public Task<OutboxEntry?> BeginAsync(string key, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        Purge(now);
        var added = (new OutboxEntry(null), now + IReplyOutbox.Retention);
        var current = _entries.GetOrAdd(key, added);
        return Task.FromResult(ReferenceEquals(current.Entry, added.Item1) ? null : current.Entry);
    }

    public Task RecordPostedAsync(string key, PostedReply posted, CancellationToken cancellationToken)
    {
        _entries[key] = (new OutboxEntry(posted), time.GetUtcNow() + IReplyOutbox.Retention);
        return Task.CompletedTask;
    }

    private void Purge(DateTimeOffset now)
    {
        if (_entries.Count < 1024)
        {
            return;
        }

        foreach (var (key, value) in _entries)
        {
            if (value.Expires <= now)
            {
                _entries.TryRemove(key, out _);
            }
        }
    }
}
