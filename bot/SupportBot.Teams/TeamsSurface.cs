using Microsoft.Extensions.Logging;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using SupportBot.Core.Conversations;
using SupportBot.Core.Escalations;
using SupportBot.Core.Surfaces;
using SupportBot.Teams.Activities;
using SupportBot.Teams.Cards;
using SupportBot.Teams.Connector;

namespace SupportBot.Teams;

/// <summary>
/// Microsoft Teams as the pipeline sees it: a reply becomes an Adaptive Card posted through the Bot
/// Connector in the thread of the message it answers; a typing indicator shows work in chats; a model's
/// answer grows in place (activity update); escalation threads are opened in channels (proactive).
/// </summary>
internal sealed partial class TeamsSurface(ConnectorClient connector, Escalations.TeamsPeopleDirectory people, IOptions<TeamsOptions> options, ILogger<TeamsSurface> logger)
    : IChatSurface, IThreadPoster
{
    private const string Placeholder = "Working on it…";

    public const string SurfaceName = "teams";

    public string Name => SurfaceName;

    public Task SendAsync(InboundMessage inReplyTo, Reply reply, CancellationToken cancellationToken) =>
        SendMarkedAsync(inReplyTo, reply, string.Empty, cancellationToken);

    /// <summary>
    /// Teams keeps no mark with a message and the Bot Connector lists no activities, so a reply cannot be looked
    /// for after a crash; the activity id the connector returns is what the outbox records.
    /// </summary>
    public async Task<PostedReply?> SendMarkedAsync(InboundMessage inReplyTo, Reply reply, string mark, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inReplyTo);
        ArgumentNullException.ThrowIfNull(reply);
        var data = Data(inReplyTo);
        if (IsPrivate(data) || (reply.Audience == ReplyAudience.Requester && inReplyTo.Scope != ConversationScope.Direct))
        {
            await SendPrivatelyAsync(inReplyTo, reply, data, cancellationToken);
            return null;
        }

        var activity = Address(AnswerCardRenderer.Render(reply, await MentionsAsync(reply, cancellationToken)), inReplyTo, data);
        var serviceUrl = data[TeamsSurfaceData.ServiceUrl];
        var conversationId = data[TeamsSurfaceData.ConversationId];
        var posted = data.GetValueOrDefault(TeamsSurfaceData.Mode) == TeamsSurfaceData.Send || string.IsNullOrEmpty(data.GetValueOrDefault(TeamsSurfaceData.ActivityId))
            ? await connector.SendToConversationAsync(serviceUrl, conversationId, activity, cancellationToken)
            : await connector.ReplyToActivityAsync(serviceUrl, conversationId, data[TeamsSurfaceData.ActivityId], activity, cancellationToken);
        return posted.Id is { Length: > 0 } id ? new PostedReply(conversationId, id) : null;
    }

    /// <summary>Goes on updating the placeholder an earlier attempt posted.</summary>
    public Task<IStreamingReply?> ResumeStreamingAsync(InboundMessage inReplyTo, PostedReply posted, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inReplyTo);
        ArgumentNullException.ThrowIfNull(posted);
        return Task.FromResult<IStreamingReply?>(new StreamingActivity(connector, inReplyTo, Data(inReplyTo), posted.Id));
    }

    /// <summary>
    /// Only the requester sees it: sent in their personal chat with the bot (<c>POST v3/conversations</c> with
    /// them as the one member, which returns the existing 1:1 conversation); the channel thread gets a short
    /// note that the answer went there.
    /// </summary>
    private async Task SendPrivatelyAsync(InboundMessage inReplyTo, Reply reply, IReadOnlyDictionary<string, string> data, CancellationToken cancellationToken)
    {
        var serviceUrl = data[TeamsSurfaceData.ServiceUrl];
        var tenant = data.GetValueOrDefault(TeamsSurfaceData.TenantId) ?? inReplyTo.Tenant;
        var personal = await connector.CreateConversationAsync(serviceUrl, new ConversationParameters
        {
            IsGroup = false,
            Bot = Bot,
            Members = [new ChannelAccount { Id = inReplyTo.UserId }],
            TenantId = tenant,
            ChannelData = tenant is null ? null : new JsonObject { ["tenant"] = new JsonObject { ["id"] = tenant } },
        }, cancellationToken);
        var card = AnswerCardRenderer.Render(reply);
        card.From = Bot;
        await connector.SendToConversationAsync(personal.ServiceUrl ?? serviceUrl, personal.Id ?? throw new InvalidOperationException("Teams created no personal conversation."), card, cancellationToken);
        if (IsPrivate(data))
        {
            return; // asked privately (a message action): nothing is said where the message was
        }

        var note = Address(new Activity { Type = ActivityTypes.Message, Text = SentPrivately }, inReplyTo, data);
        var conversationId = data[TeamsSurfaceData.ConversationId];
        if (string.IsNullOrEmpty(note.ReplyToId))
        {
            await connector.SendToConversationAsync(serviceUrl, conversationId, note, cancellationToken);
        }
        else
        {
            await connector.ReplyToActivityAsync(serviceUrl, conversationId, note.ReplyToId, note, cancellationToken);
        }
    }

    internal const string SentPrivately = "I sent you the details in a private chat.";

    private static bool IsPrivate(IReadOnlyDictionary<string, string> data) => data.GetValueOrDefault(TeamsSurfaceData.Mode) == TeamsSurfaceData.Private;

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

    public async Task<IStreamingReply?> BeginStreamingAsync(InboundMessage inReplyTo, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inReplyTo);
        var data = Data(inReplyTo);
        var placeholder = Address(new Activity { Type = ActivityTypes.Message, Text = Placeholder }, inReplyTo, data);
        var serviceUrl = data[TeamsSurfaceData.ServiceUrl];
        var conversationId = data[TeamsSurfaceData.ConversationId];
        var posted = string.IsNullOrEmpty(placeholder.ReplyToId)
            ? await connector.SendToConversationAsync(serviceUrl, conversationId, placeholder, cancellationToken)
            : await connector.ReplyToActivityAsync(serviceUrl, conversationId, placeholder.ReplyToId, placeholder, cancellationToken);
        return posted.Id is { Length: > 0 } id ? new StreamingActivity(connector, inReplyTo, data, id) : null;
    }

    /// <summary>Opens a new thread in a channel (<c>POST v3/conversations</c> with the channel in channelData).</summary>
    public async Task<ThreadAddress> StartThreadAsync(RouteDestination destination, Reply first, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var serviceUrl = destination.ServiceUrl ?? throw new InvalidOperationException("A Teams route needs a serviceUrl.");
        var card = AnswerCardRenderer.Render(first, await MentionsAsync(first, cancellationToken));
        card.From = Bot;
        var created = await connector.CreateConversationAsync(serviceUrl, new ConversationParameters
        {
            IsGroup = true,
            Bot = Bot,
            TenantId = destination.Tenant,
            ChannelData = new JsonObject
            {
                ["channel"] = new JsonObject { ["id"] = destination.Channel },
                ["tenant"] = destination.Tenant is null ? null : new JsonObject { ["id"] = destination.Tenant },
            },
            Activity = card,
        }, cancellationToken);

        // A channel thread's conversation id is "{channel};messageid={root message id}".
        var conversationId = created.Id ?? $"{destination.Channel};messageid={created.ActivityId}";
        var data = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [TeamsSurfaceData.ServiceUrl] = serviceUrl,
            [TeamsSurfaceData.ConversationId] = conversationId,
            [TeamsSurfaceData.ConversationType] = "channel",
            [TeamsSurfaceData.ChannelId] = "msteams",
            [TeamsSurfaceData.Mode] = TeamsSurfaceData.Send,
        };
        if (destination.Tenant is { } tenant)
        {
            data[TeamsSurfaceData.TenantId] = tenant;
        }

        var thread = new ThreadAddress(TeamsSurfaceData.Conversation(conversationId), data);
        return thread with { Link = await LinkAsync(thread, cancellationToken) };
    }

    public async Task PostAsync(ThreadAddress thread, Reply reply, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(thread);
        var data = thread.SurfaceData;
        var activity = AnswerCardRenderer.Render(reply, await MentionsAsync(reply, cancellationToken));
        activity.From = Bot;
        activity.Conversation = new ConversationAccount { Id = data[TeamsSurfaceData.ConversationId], TenantId = data.GetValueOrDefault(TeamsSurfaceData.TenantId) };
        await connector.SendToConversationAsync(data[TeamsSurfaceData.ServiceUrl], data[TeamsSurfaceData.ConversationId], activity, cancellationToken);
    }

    /// <summary>Private answers go to the asker's personal chat; Share posts into the channel thread they answered.</summary>
    public bool CanSharePrivateReplies => true;

    /// <summary>A channel thread, reached through the service URL and tenant of the activity at hand (the same tenant's).</summary>
    public ThreadAddress? ThreadAddressOf(ConversationRef conversation, InboundMessage from)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        ArgumentNullException.ThrowIfNull(from);
        if (from.SurfaceData?.GetValueOrDefault(TeamsSurfaceData.ServiceUrl) is not { } serviceUrl)
        {
            return null;
        }

        var data = new Dictionary<string, string>
        {
            [TeamsSurfaceData.ServiceUrl] = serviceUrl,
            [TeamsSurfaceData.ConversationId] = TeamsSurfaceData.ConversationIdOf(conversation),
        };
        if (from.Tenant is { } tenant)
        {
            data[TeamsSurfaceData.TenantId] = tenant;
        }

        return new ThreadAddress(conversation, data);
    }

    /// <summary>A channel thread's deep link (<c>teams.microsoft.com/l/message/{channel}/{message}</c>); chats have none.</summary>
    public Task<string?> LinkAsync(ThreadAddress thread, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(thread);
        var conversation = thread.Conversation;
        if (conversation.Channel == conversation.Thread || !conversation.Channel.StartsWith("19:", StringComparison.Ordinal))
        {
            return Task.FromResult<string?>(null);
        }

        var link = $"https://teams.microsoft.com/l/message/{Uri.EscapeDataString(conversation.Channel)}/{Uri.EscapeDataString(conversation.Thread)}";
        return Task.FromResult<string?>(thread.SurfaceData.TryGetValue(TeamsSurfaceData.TenantId, out var tenant) ? $"{link}?tenantId={Uri.EscapeDataString(tenant)}" : link);
    }

    /// <summary>
    /// The people a reply notifies, with the names Graph gives them; someone Graph cannot name (not an Entra ID object id,
    /// unknown, Graph down) is left out rather than holding the reply up.
    /// </summary>
    private async Task<IReadOnlyList<TeamsMention>> MentionsAsync(Reply reply, CancellationToken cancellationToken)
    {
        if (reply.Notify.Count == 0)
        {
            return [];
        }

        var mentions = new List<TeamsMention>(reply.Notify.Count);
        foreach (var id in reply.Notify)
        {
            try
            {
                if (await people.DisplayNameAsync(id, cancellationToken) is { } name)
                {
                    mentions.Add(new TeamsMention(id, name));
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or InvalidOperationException or System.Text.Json.JsonException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                LogMentionFailed(logger, ex.GetType().Name);
            }
        }

        return mentions;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A Teams mention was left out: Microsoft Graph could not name the person ({Error})")]
    private static partial void LogMentionFailed(ILogger logger, string error);

    /// <summary>The bot as Bot Framework names it in proactive messages: <c>28:{AppId}</c>.</summary>
    private ChannelAccount Bot => new() { Id = $"28:{options.Value.AppId}", Name = "SupportBot" };

    /// <summary>
    /// The placeholder answer, updated in place as the model writes, then replaced by the card. The growing
    /// text is one attempt per update (the pipeline paces them); the card is retried like any call.
    /// </summary>
    private sealed class StreamingActivity(ConnectorClient connector, InboundMessage message, IReadOnlyDictionary<string, string> data, string activityId) : IStreamingReply
    {
        public PostedReply Posted { get; } = new(data[TeamsSurfaceData.ConversationId], activityId);

        public async Task UpdateAsync(string partialText, CancellationToken cancellationToken)
        {
            try
            {
                await connector.UpdateActivityOnceAsync(data[TeamsSurfaceData.ServiceUrl], data[TeamsSurfaceData.ConversationId], activityId, Addressed(new Activity { Type = ActivityTypes.Message, Text = partialText }), cancellationToken);
            }
            catch (ConnectorException ex) when (ex.StatusCode == System.Net.HttpStatusCode.TooManyRequests)
            {
                throw new ReplyThrottledException(ex.RetryAfter ?? PacedStreamingReply.DefaultInterval, ex);
            }
        }

        public Task CompleteAsync(Reply reply, CancellationToken cancellationToken) =>
            connector.UpdateActivityAsync(data[TeamsSurfaceData.ServiceUrl], data[TeamsSurfaceData.ConversationId], activityId, Addressed(AnswerCardRenderer.Render(reply)), cancellationToken);

        private Activity Addressed(Activity activity)
        {
            var addressed = Address(activity, message, data);
            addressed.Id = activityId;
            return addressed;
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
