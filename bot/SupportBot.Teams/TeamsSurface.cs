using Microsoft.Extensions.Logging;
using SupportBot.Core.Conversations;
using SupportBot.Core.Surfaces;
using SupportBot.Teams.Activities;
using SupportBot.Teams.Cards;
using SupportBot.Teams.Connector;

namespace SupportBot.Teams;

/// <summary>
/// Microsoft Teams as the pipeline sees it: a reply becomes an Adaptive Card posted through the Bot
/// Connector in the thread of the message it answers; a typing indicator shows work in chats.
/// </summary>
internal sealed partial class TeamsSurface(ConnectorClient connector, ILogger<TeamsSurface> logger) : IChatSurface
{
    public const string SurfaceName = "teams";

    public string Name => SurfaceName;

    public async Task SendAsync(InboundMessage inReplyTo, Reply reply, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inReplyTo);
        ArgumentNullException.ThrowIfNull(reply);
        var data = Data(inReplyTo);
        var activity = Address(AnswerCardRenderer.Render(reply), inReplyTo, data);
        var serviceUrl = data[TeamsSurfaceData.ServiceUrl];
        var conversationId = data[TeamsSurfaceData.ConversationId];
        if (data.GetValueOrDefault(TeamsSurfaceData.Mode) == TeamsSurfaceData.Send || string.IsNullOrEmpty(data.GetValueOrDefault(TeamsSurfaceData.ActivityId)))
        {
            await connector.SendToConversationAsync(serviceUrl, conversationId, activity, cancellationToken);
        }
        else
        {
            await connector.ReplyToActivityAsync(serviceUrl, conversationId, data[TeamsSurfaceData.ActivityId], activity, cancellationToken);
        }
    }

    /// <summary>Teams shows typing in personal and group chats, not in channels.</summary>
    public async Task IndicateWorkingAsync(InboundMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var data = Data(message);
        if (data.GetValueOrDefault(TeamsSurfaceData.ConversationType) == "channel")
        {
            return;
        }

        try
        {
            var typing = Address(new Activity { Type = ActivityTypes.Typing }, message, data);
            await connector.SendToConversationAsync(data[TeamsSurfaceData.ServiceUrl], data[TeamsSurfaceData.ConversationId], typing, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or ConnectorException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            // Best effort: the answer matters, the indicator does not.
            LogTypingFailed(logger, ex);
        }
    }

    private static IReadOnlyDictionary<string, string> Data(InboundMessage message) =>
        message.SurfaceData is { } data && data.ContainsKey(TeamsSurfaceData.ServiceUrl) && data.ContainsKey(TeamsSurfaceData.ConversationId)
            ? data
            : throw new InvalidOperationException("A Teams message must carry its service URL and conversation id.");

    /// <summary>From the bot to the user, in the conversation, as a reply to the activity (as the SDKs address replies).</summary>
    private static Activity Address(Activity activity, InboundMessage message, IReadOnlyDictionary<string, string> data)
    {
        activity.ChannelId = data.GetValueOrDefault(TeamsSurfaceData.ChannelId);
        activity.ServiceUrl = data[TeamsSurfaceData.ServiceUrl];
        activity.From = data.TryGetValue(TeamsSurfaceData.BotId, out var botId)
            ? new ChannelAccount { Id = botId, Name = data.GetValueOrDefault(TeamsSurfaceData.BotName) }
            : null;
        activity.Recipient = new ChannelAccount { Id = message.UserId, Name = message.UserName };
        activity.Conversation = new ConversationAccount
        {
            Id = data[TeamsSurfaceData.ConversationId],
            TenantId = data.GetValueOrDefault(TeamsSurfaceData.TenantId),
            ConversationType = data.GetValueOrDefault(TeamsSurfaceData.ConversationType),
        };
        if (data.GetValueOrDefault(TeamsSurfaceData.Mode) != TeamsSurfaceData.Send)
        {
            activity.ReplyToId = data.GetValueOrDefault(TeamsSurfaceData.ActivityId);
        }

        return activity;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Teams typing indicator not sent")]
    private static partial void LogTypingFailed(ILogger logger, Exception exception);
}
