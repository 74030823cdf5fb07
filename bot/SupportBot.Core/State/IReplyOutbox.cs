using SupportBot.Core.Conversations;
using SupportBot.Core.Surfaces;

namespace SupportBot.Core.State;

/// <summary>What an earlier attempt at a reply recorded: the intent to post it and, once it was posted, where.</summary>
public sealed record OutboxEntry(PostedReply? Posted);

/// <summary>
/// The reply outbox: the intent to post each reply to a message is recorded before it is posted and the posted
/// message's id after, so a replica that takes the message over after a crash knows what was already said. A
/// message's entries are forgotten once it is done (its processing claim then answers instead); entries of a
/// message never finished expire after <see cref="Retention"/>.
/// </summary>
public interface IReplyOutbox
{
    /// <summary>How long the entries of a message that was never finished are kept.</summary>
    static readonly TimeSpan Retention = TimeSpan.FromHours(1);

    /// <summary>The outbox's name for a message's replies: <c>{surface}:{message id}</c>.</summary>
    static string KeyOf(InboundMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return $"{message.Conversation.Surface}:{message.Id}";
    }

    /// <summary>Records the intent to post reply <paramref name="reply"/> (0, 1, …) to a message; returns what an earlier attempt recorded, null on the first.</summary>
    Task<OutboxEntry?> BeginAsync(string message, int reply, CancellationToken cancellationToken);

    /// <summary>Records where reply <paramref name="reply"/> to a message was posted.</summary>
    Task RecordPostedAsync(string message, int reply, PostedReply posted, CancellationToken cancellationToken);

    /// <summary>Forgets a message's replies: it is done.</summary>
    Task ForgetAsync(string message, CancellationToken cancellationToken);
}
