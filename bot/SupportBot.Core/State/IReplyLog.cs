using SupportBot.Core.Conversations;
using SupportBot.Core.Surfaces;

namespace SupportBot.Core.State;

/// <summary>A reply as kept for surfaces that read replies back (the local web chat polls it).</summary>
public sealed record LoggedReply(long Seq, string InReplyTo, Reply Reply, DateTimeOffset At);

/// <summary>Replies per thread with increasing sequence numbers, capped and expiring like history.</summary>
public interface IReplyLog
{
    Task<long> AppendAsync(ConversationRef conversation, string inReplyTo, Reply reply, CancellationToken cancellationToken);

    Task<IReadOnlyList<LoggedReply>> ReadAfterAsync(ConversationRef conversation, long afterSeq, CancellationToken cancellationToken);
}
