using Microsoft.Extensions.Logging;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using SupportBot.Core.Conversations;
using SupportBot.Core.Escalations;
using SupportBot.Core.Insights;
using SupportBot.Core.Surfaces;
using SupportBot.Teams.Activities;
using SupportBot.Teams.Cards;
using SupportBot.Teams.Connector;

namespace SupportBot.Teams;

/// <summary>
/// Microsoft Teams as the pipeline sees it: a reply becomes an Adaptive Card posted through the Bot
/// Connector in the thread of the message it answers (an answer: an AI message, its text with citations above the
/// card, <see cref="AiMessage"/>); a typing indicator shows work in chats; in personal chats a model's answer streams
/// with Teams' streaming protocol (<see cref="TeamsStream"/>); escalation threads are opened in channels (proactive).
/// </summary>
internal sealed partial class TeamsSurface(
    ConnectorClient connector,
    Escalations.TeamsPeopleDirectory people,
    IInsightsStore insights,
    TimeProvider time,
    IOptions<TeamsOptions> options,
    ILogger<TeamsSurface> logger)
    : IChatSurface, IThreadPoster
{
    public const string SurfaceName = "teams";

    private ConnectorClient Connector => connector;

    private TimeProvider Time => time;

    private TeamsOptions Options => options.Value;

    private ILogger Logger => logger;

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

        var activity = Address(Render(reply, await MentionsAsync(reply, cancellationToken)), inReplyTo, data);
        return await PostAsync(reply, activity, data, cancellationToken);
    }

    /// <summary>A reply in the thread of the activity (or a new message in the conversation), its answer remembered for Teams' feedback.</summary>
    private async Task<PostedReply?> PostAsync(Reply reply, Activity activity, IReadOnlyDictionary<string, string> data, CancellationToken cancellationToken)
    {
        var serviceUrl = data[TeamsSurfaceData.ServiceUrl];
        var conversationId = data[TeamsSurfaceData.ConversationId];
        var posted = data.GetValueOrDefault(TeamsSurfaceData.Mode) == TeamsSurfaceData.Send || string.IsNullOrEmpty(data.GetValueOrDefault(TeamsSurfaceData.ActivityId))
            ? await connector.SendToConversationAsync(serviceUrl, conversationId, activity, cancellationToken)
            : await connector.ReplyToActivityAsync(serviceUrl, conversationId, data[TeamsSurfaceData.ActivityId], activity, cancellationToken);
        if (posted.Id is not { Length: > 0 } id)
        {
            return null;
        }

        await LinkAnswerAsync(reply, conversationId, id);
        return new PostedReply(conversationId, id);
    }

    /// <summary>
    /// Finishes a stream an earlier attempt began (a replica took the message over): Teams' stream cannot be continued
    /// without its sequence, so no more text is streamed; the final message ends the stream in place, or, when Teams
    /// refuses it (the stream timed out after two minutes), is posted as a message of its own.
    /// </summary>
    public Task<IStreamingReply?> ResumeStreamingAsync(InboundMessage inReplyTo, PostedReply posted, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inReplyTo);
        ArgumentNullException.ThrowIfNull(posted);
        var data = Data(inReplyTo);
        return Task.FromResult<IStreamingReply?>(StreamsIn(data) ? new TeamsStream(this, inReplyTo, data, posted.Id, resumed: true) : null);
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
        var card = Render(reply);
        card.From = Bot;
        var personalId = personal.Id ?? throw new InvalidOperationException("Teams created no personal conversation.");
        var sent = await connector.SendToConversationAsync(personal.ServiceUrl ?? serviceUrl, personalId, card, cancellationToken);
        if (sent.Id is { Length: > 0 } sentId)
        {
            await LinkAnswerAsync(reply, personalId, sentId);
        }

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

    /// <summary>
    /// In a personal chat (and with <c>Teams:Streaming</c> on), opens a Teams stream with its informative update: a
    /// <c>typing</c> activity with <c>streaminfo</c> (<c>informative</c>, sequence 1), whose id is the stream's. Group chats
    /// and channels, where Teams does not stream, and a stream Teams refuses (403) get the finished answer alone.
    /// </summary>
    public async Task<IStreamingReply?> BeginStreamingAsync(InboundMessage inReplyTo, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inReplyTo);
        var data = Data(inReplyTo);
        if (!StreamsIn(data))
        {
            return null;
        }

        var informative = Address(new Activity
        {
            Type = ActivityTypes.Typing,
            Text = options.Value.StreamingInformativeText,
            Entities = [AiMessage.StreamInfo(null, TeamsStream.Informative, 1)],
            ChannelData = AiMessage.StreamChannelData(null, null, TeamsStream.Informative, 1),
        }, inReplyTo, data);
        ResourceResponse started;
        try
        {
            started = await connector.SendToConversationAsync(data[TeamsSurfaceData.ServiceUrl], data[TeamsSurfaceData.ConversationId], informative, cancellationToken);
        }
        catch (ConnectorException ex)
        {
            LogStreamNotStarted(logger, (int)ex.StatusCode, ex.ErrorCode ?? "-");
            return null;
        }

        if (started.Id is not { Length: > 0 } streamId)
        {
            LogStreamNotStarted(logger, 200, "no stream id");
            return null;
        }

        return new TeamsStream(this, inReplyTo, data, streamId, resumed: false);
    }

    /// <summary>Teams streams bot messages in personal chats only.</summary>
    private bool StreamsIn(IReadOnlyDictionary<string, string> data) =>
        options.Value.Streaming && data.GetValueOrDefault(TeamsSurfaceData.ConversationType) == "personal";

    private Activity Render(Reply reply, IReadOnlyList<TeamsMention>? mentions = null) =>
        AnswerCardRenderer.Render(reply, mentions, options.Value.AiMessages);

    /// <summary>
    /// Remembers which answer a posted message carries, for Teams' feedback buttons (their invoke names only the message).
    /// Best effort: the message is out, and a failure here must not make it be posted again.
    /// </summary>
    private async Task LinkAnswerAsync(Reply reply, string conversationId, string messageId)
    {
        if (reply.AnswerId is not { Length: > 0 } answerId || !options.Value.AiMessages)
        {
            return;
        }

        try
        {
            await insights.LinkAnswerMessageAsync(SurfaceName, TeamsSurfaceData.Conversation(conversationId).Channel, messageId, answerId, CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogLinkFailed(logger, ex.GetType().Name);
        }
    }

    /// <summary>Opens a new thread in a channel (<c>POST v3/conversations</c> with the channel in channelData).</summary>
    public async Task<ThreadAddress> StartThreadAsync(RouteDestination destination, Reply first, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var serviceUrl = destination.ServiceUrl ?? throw new InvalidOperationException("A Teams route needs a serviceUrl.");
        var card = Render(first, await MentionsAsync(first, cancellationToken));
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
        var activity = Render(reply, await MentionsAsync(reply, cancellationToken));
        activity.From = Bot;
        activity.Conversation = new ConversationAccount { Id = data[TeamsSurfaceData.ConversationId], TenantId = data.GetValueOrDefault(TeamsSurfaceData.TenantId) };
        var posted = await connector.SendToConversationAsync(data[TeamsSurfaceData.ServiceUrl], data[TeamsSurfaceData.ConversationId], activity, cancellationToken);
        if (posted.Id is { Length: > 0 } id)
        {
            await LinkAnswerAsync(reply, data[TeamsSurfaceData.ConversationId], id);
        }
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
        activity.Recipient = new ChannelAccount { Id = message.UserId, Name = message.UserName, AadObjectId = data.GetValueOrDefault(TeamsSurfaceData.AadObjectId) };
        activity.Locale ??= data.GetValueOrDefault(TeamsSurfaceData.Locale);
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Teams did not start a stream ({Status} {Code}); the answer is sent as one message")]
    private static partial void LogStreamNotStarted(ILogger logger, int status, string code);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not remember which answer a Teams message carries ({Error}); feedback on it counts for the thread's latest answer")]
    private static partial void LogLinkFailed(ILogger logger, string error);
}
