using System.Text;
using System.Text.Json;
using SupportBot.Core.Conversations;

namespace SupportBot.Slack.Events;

/// <summary>What to do with one <c>event_callback</c>.</summary>
internal enum EventDecision
{
    /// <summary>Nothing to answer: the bot's own message, another bot, an edit, a join, an unrelated event.</summary>
    Ignore,

    /// <summary>A mention or a direct message: answer it.</summary>
    Answer,

    /// <summary>A reply in a channel thread without a mention: answer only if the bot is in that thread.</summary>
    FollowUp,

    /// <summary>A new post in a channel without a mention: answer only where the channel's mode is "answer".</summary>
    NewPost,
}

/// <summary>A decision and, unless ignored, the normalized message.</summary>
internal sealed record EventReading(EventDecision Decision, InboundMessage? Message, string Reason);

/// <summary>
/// Turns an Events API <c>event_callback</c> into an <see cref="InboundMessage"/>: the conversation is the
/// thread (<c>thread_ts</c>, or the message's own <c>ts</c> for a new thread), the delivery id is the
/// <c>event_id</c> (Slack keeps it across retries), and the bot's mention is stripped.
/// </summary>
internal static class SlackEventReader
{
    public const string SurfaceName = "slack";

    // Subtypes that are still a person writing; every other subtype (message_changed, message_deleted,
    // channel_join, bot_message, …) is not a question.
    private static readonly HashSet<string> PersonSubtypes = new(StringComparer.Ordinal) { "file_share", "thread_broadcast" };

    public static EventReading Read(JsonElement envelope, string? botUserId, DateTimeOffset receivedAt)
    {
        if (!envelope.TryGetProperty("event"u8, out var ev) || ev.ValueKind != JsonValueKind.Object)
        {
            return Ignore("no event");
        }

        botUserId ??= AuthorizedBotUser(envelope);
        var type = Str(ev, "type"u8);
        if (type is not ("app_mention" or "message"))
        {
            return Ignore($"event type {type}");
        }

        if (Str(ev, "subtype"u8) is { } subtype && !PersonSubtypes.Contains(subtype))
        {
            return Ignore($"subtype {subtype}");
        }

        var user = Str(ev, "user"u8);
        if (Str(ev, "bot_id"u8) is not null || user is null || user == botUserId)
        {
            return Ignore("from a bot");
        }

        var channel = Str(ev, "channel"u8);
        var ts = Str(ev, "ts"u8);
        var eventId = Str(envelope, "event_id"u8);
        if (channel is null || ts is null || eventId is null)
        {
            return Ignore("incomplete event");
        }

        var text = Str(ev, "text"u8) ?? string.Empty;
        var threadTs = Str(ev, "thread_ts"u8);
        EventDecision decision;
        if (type == "app_mention")
        {
            decision = EventDecision.Answer;
        }
        else if (Str(ev, "channel_type"u8) == "im")
        {
            decision = EventDecision.Answer;
        }
        else if (Mentions(text, botUserId))
        {
            // The same words also arrive as app_mention (with another event_id): answer that one only.
            return Ignore("mention, answered through app_mention");
        }
        else if (threadTs is not null && threadTs != ts)
        {
            decision = EventDecision.FollowUp;
        }
        else
        {
            decision = EventDecision.NewPost; // answered only where the channel's mode is "answer"
        }

        var message = new InboundMessage(
            eventId,
            new ConversationRef(SurfaceName, channel, threadTs ?? ts),
            user,
            user,
            StripMention(text, botUserId),
            receivedAt,
            SurfaceData: SurfaceKeys.Of(ts, channel, Str(envelope, "team_id"u8)),
            Tenant: Str(envelope, "enterprise_id"u8) ?? Str(envelope, "team_id"u8),
            Scope: ScopeOf(channel, Str(ev, "channel_type"u8)));
        return new EventReading(decision, message, type);
    }

    /// <summary>
    /// Direct for a DM (<c>channel_type</c> <c>im</c>; app_mention events carry no type, but DM ids start with
    /// <c>D</c>); a channel otherwise, group DMs included, since others read them.
    /// </summary>
    public static ConversationScope ScopeOf(string channel, string? channelType) =>
        channelType == "im" || (channelType is null && channel.StartsWith('D')) ? ConversationScope.Direct : ConversationScope.Channel;

    /// <summary>Removes <c>&lt;@BOT&gt;</c> (and <c>&lt;@BOT|name&gt;</c>) from <paramref name="text"/>.</summary>
    /// <summary>True when <paramref name="text"/> mentions the bot (<c>&lt;@U…&gt;</c>, with or without a display name).</summary>
    public static bool Mentions(string text, string? botUserId) =>
        botUserId is not null && text.Contains($"<@{botUserId}", StringComparison.Ordinal);

    public static string StripMention(string text, string? botUserId)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (string.IsNullOrEmpty(botUserId))
        {
            return text.Trim();
        }

        var marker = "<@" + botUserId;
        var start = text.IndexOf(marker, StringComparison.Ordinal);
        while (start >= 0)
        {
            var end = text.IndexOf('>', start);
            var next = start + marker.Length;
            if (end < 0 || (next < text.Length && text[next] is not ('>' or '|')))
            {
                start = text.IndexOf(marker, next, StringComparison.Ordinal);
                continue;
            }

            text = string.Concat(text.AsSpan(0, start), " ", text.AsSpan(end + 1));
            start = text.IndexOf(marker, start, StringComparison.Ordinal);
        }

        return CollapseSpaces(text).Trim();
    }

    /// <summary>Runs of spaces (left where a mention stood) as one space; the text itself when it has none.</summary>
    private static string CollapseSpaces(string text)
    {
        if (!text.Contains("  ", StringComparison.Ordinal))
        {
            return text;
        }

        var collapsed = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (c != ' ' || collapsed.Length == 0 || collapsed[^1] != ' ')
            {
                collapsed.Append(c);
            }
        }

        return collapsed.ToString();
    }

    private static string? AuthorizedBotUser(JsonElement envelope)
    {
        if (envelope.TryGetProperty("authorizations"u8, out var list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (var a in list.EnumerateArray())
            {
                if (a.TryGetProperty("is_bot"u8, out var isBot) && isBot.ValueKind == JsonValueKind.True)
                {
                    return Str(a, "user_id"u8);
                }
            }
        }

        return null;
    }

    private static EventReading Ignore(string reason) => new(EventDecision.Ignore, null, reason);

    /// <summary>The string property <paramref name="utf8Name"/> of an object, else null. UTF-8 names: nothing is transcoded per lookup.</summary>
    internal static string? Str(JsonElement element, ReadOnlySpan<byte> utf8Name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(utf8Name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}

/// <summary>Keys of <see cref="InboundMessage.SurfaceData"/> on Slack messages.</summary>
internal static class SurfaceKeys
{
    /// <summary>The <c>ts</c> of the message itself (the reaction goes there).</summary>
    public const string Ts = "ts";
    public const string Channel = "channel";
    public const string Team = "team";

    /// <summary>"1" on a message in a thread of the assistant pane (<see cref="Assistant.SlackAssistant"/>).</summary>
    public const string Assistant = "assistant";

    /// <summary>"1" when that thread already had its title when the message was read (its context says so).</summary>
    public const string AssistantTitled = "assistant.titled";

    /// <summary>The surface data of a person's message: its <c>ts</c>, its channel and, when known, the workspace.</summary>
    public static Dictionary<string, string> Of(string ts, string channel, string? team)
    {
        var data = new Dictionary<string, string>(StringComparer.Ordinal) { [Ts] = ts, [Channel] = channel };
        if (team is not null)
        {
            data[Team] = team;
        }

        return data;
    }
}
