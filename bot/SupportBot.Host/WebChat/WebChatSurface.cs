using SupportBot.Core.Conversations;
using SupportBot.Core.State;
using SupportBot.Core.Surfaces;

namespace SupportBot.Host.WebChat;

/// <summary>
/// The local web chat: replies go to the thread's reply log, which the page polls. Works across
/// replicas when the reply log is in Redis.
/// </summary>
internal sealed class WebChatSurface(IReplyLog replies) : IChatSurface
{
    public const string SurfaceName = "web";
    /// <summary>The space of the open local default (no sign-in): everyone on the machine shares it.</summary>
    public const string LocalOwner = "local";

    public string Name => SurfaceName;

    /// <summary>A thread of one owner (a signed-in user's hashed id, or <see cref="LocalOwner"/>).</summary>
    public static ConversationRef Conversation(string owner, string threadId) => new(SurfaceName, owner, threadId);

    public Task SendAsync(InboundMessage inReplyTo, Reply reply, CancellationToken cancellationToken) =>
        SendMarkedAsync(inReplyTo, reply, string.Empty, cancellationToken);

    /// <summary>The reply's sequence number in its thread's log is its id, for the reply outbox.</summary>
    public async Task<PostedReply?> SendMarkedAsync(InboundMessage inReplyTo, Reply reply, string mark, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inReplyTo);
        var seq = await replies.AppendAsync(inReplyTo.Conversation, inReplyTo.Id, reply, cancellationToken);
        return new PostedReply(inReplyTo.Conversation.Key, seq.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}
