using SupportBot.Core.Surfaces;

namespace SupportBot.Core.State;

/// <summary>What an earlier attempt at a reply recorded: the intent to post it and, once it was posted, where.</summary>
public sealed record OutboxEntry(PostedReply? Posted);

/// <summary>
/// The reply outbox: the intent to post a reply is recorded before it is posted and the posted message's id
/// after, so a replica that takes over a message after a crash knows what was already said. Entries live for
/// <see cref="Retention"/>: long enough for any takeover, after which the message's "done" claim answers instead.
/// </summary>
public interface IReplyOutbox
{
    /// <summary>How long an entry is kept.</summary>
    static readonly TimeSpan Retention = TimeSpan.FromHours(1);

    /// <summary>Records the intent to post reply <paramref name="key"/>; returns what an earlier attempt recorded, null on the first.</summary>
    Task<OutboxEntry?> BeginAsync(string key, CancellationToken cancellationToken);

    /// <summary>Records where reply <paramref name="key"/> was posted.</summary>
    Task RecordPostedAsync(string key, PostedReply posted, CancellationToken cancellationToken);
}
