using SupportBot.Core.Conversations;
using SupportBot.Teams.Activities;

namespace SupportBot.Teams;

/// <summary>
/// What the Teams surface keeps in <see cref="InboundMessage.SurfaceData"/> to answer later: all of it
/// comes from an authenticated activity, so the worker only ever calls a vouched-for service URL.
/// </summary>
internal static class TeamsSurfaceData
{
    public const string ServiceUrl = "serviceUrl";
    public const string ConversationId = "conversationId";
    public const string ConversationType = "conversationType";
    public const string ActivityId = "activityId";
    public const string TenantId = "tenantId";
    public const string ChannelId = "channelId";
    public const string BotId = "botId";
    public const string BotName = "botName";

    /// <summary>The sender's Entra ID object id: escalation responders are checked by it.</summary>
    public const string AadObjectId = "aadObjectId";

    /// <summary>The sender's locale (<c>en-US</c>), given back on replies as Teams' examples do.</summary>
    public const string Locale = "locale";

    /// <summary>
    /// <see cref="Reply"/> (in the thread of the activity), <see cref="Send"/> (a new message in the conversation) or
    /// <see cref="Private"/> (only in the person's personal chat with the bot, nothing in the conversation).
    /// </summary>
    public const string Mode = "mode";
    public const string Reply = "reply";
    public const string Send = "send";
    public const string Private = "private";

    private const string ThreadMarker = ";messageid=";

    public static Dictionary<string, string> From(Activity activity, string mode)
    {
        var data = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [ServiceUrl] = activity.ServiceUrl ?? string.Empty,
            [ConversationId] = activity.Conversation?.Id ?? string.Empty,
            [ActivityId] = activity.Id ?? string.Empty,
            [ChannelId] = activity.ChannelId ?? string.Empty,
            [Mode] = mode,
        };
        Add(data, ConversationType, activity.Conversation?.ConversationType);
        Add(data, TenantId, activity.TenantId);
        Add(data, BotId, activity.Recipient?.Id);
        Add(data, BotName, activity.Recipient?.Name);
        Add(data, AadObjectId, activity.From?.AadObjectId);
        Add(data, Locale, activity.Locale);
        return data;
    }

    /// <summary>
    /// The conversation of an activity: the chat or channel without the <c>;messageid=</c> part, and the
    /// thread root (the message id; a chat without threads is one thread).
    /// </summary>
    /// <summary>The Bot Framework conversation id of a thread: the channel's, with <c>;messageid=</c> and the root message for a thread.</summary>
    public static string ConversationIdOf(ConversationRef conversation)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        return conversation.Thread == conversation.Channel ? conversation.Channel : conversation.Channel + ThreadMarker + conversation.Thread;
    }

    public static ConversationRef Conversation(string conversationId)
    {
        var marker = conversationId.IndexOf(ThreadMarker, StringComparison.OrdinalIgnoreCase);
        return marker < 0
            ? new ConversationRef(TeamsSurface.SurfaceName, conversationId, conversationId)
            : new ConversationRef(TeamsSurface.SurfaceName, conversationId[..marker], conversationId[(marker + ThreadMarker.Length)..]);
    }

    /// <summary>A delivery id unique across conversations (Teams message ids are only unique within one).</summary>
    public static string DeliveryId(Activity activity) => $"{activity.Conversation?.Id}|{activity.Id}";

    private static void Add(Dictionary<string, string> data, string key, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            data[key] = value;
        }
    }
}
