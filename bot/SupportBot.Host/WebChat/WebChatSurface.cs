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
    public const string Channel = "local";

    public string Name => SurfaceName;

    public static ConversationRef Conversation(string threadId) => new(SurfaceName, Channel, threadId);

    public Task SendAsync(InboundMessage inReplyTo, Reply reply, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inReplyTo);
        return replies.AppendAsync(inReplyTo.Conversation, inReplyTo.Id, reply, cancellationToken);
    }
}
