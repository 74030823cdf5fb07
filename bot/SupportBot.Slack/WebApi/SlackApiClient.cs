using System.Buffers;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace SupportBot.Slack.WebApi;

/// <summary>
/// The Slack Web API methods SupportBot uses, typed. Every call carries <c>Authorization: Bearer</c>;
/// write methods send JSON, read methods form fields (Slack accepts JSON only for writes). Rate limits
/// (HTTP 429 with <c>Retry-After</c>) and transient <c>ok:false</c> errors are retried by the resilience
/// pipeline registered with the client; any other <c>ok:false</c> raises <see cref="SlackApiException"/>.
/// </summary>
internal sealed class SlackApiClient(IHttpClientFactory clients, IOptions<SlackOptions> options, TimeProvider time)
{
    public const string HttpClientName = "slack-web-api";

    // conversations.replies pages: Slack recommends no more than 200 per page.
    private const int RepliesPageSize = 200;
    private const int MaxRepliesPages = 10;

    private static readonly MediaTypeHeaderValue JsonUtf8 = MediaTypeHeaderValue.Parse("application/json; charset=utf-8");

    public async Task<SlackIdentity> AuthTestAsync(CancellationToken cancellationToken)
    {
        using var doc = await CallAsync("auth.test", null, options.Value.BotToken, cancellationToken);
        var root = doc.RootElement;
        return new SlackIdentity(GetString(root, "user_id") ?? string.Empty, GetString(root, "bot_id"), GetString(root, "team_id"), GetString(root, "url"), GetString(root, "enterprise_id"));
    }

    /// <summary>Posts a message; returns its <c>ts</c>.</summary>
    public async Task<string> PostMessageAsync(SlackPost post, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(post);
        using var doc = await CallAsync("chat.postMessage", Json(w => WritePost(w, post, user: null)), options.Value.BotToken, cancellationToken);
        return GetString(doc.RootElement, "ts") ?? string.Empty;
    }

    /// <summary>
    /// Posts to a person: <c>chat.postMessage</c> takes a user id as the channel and delivers into the app's
    /// direct messages with them. Returns the conversation it landed in (a <c>D…</c> id) and the message's <c>ts</c>.
    /// </summary>
    public async Task<SlackPosted> PostDirectMessageAsync(string userId, string text, JsonArray? blocks, CancellationToken cancellationToken, string? replyMark = null)
    {
        using var doc = await CallAsync("chat.postMessage", Json(w => WritePost(w, new SlackPost(userId, text, blocks, ReplyMark: replyMark), user: null)), options.Value.BotToken, cancellationToken);
        return new SlackPosted(GetString(doc.RootElement, "channel") ?? userId, GetString(doc.RootElement, "ts") ?? string.Empty);
    }

    /// <summary>Replaces a message's text (and blocks, when given).</summary>
    public Task UpdateMessageAsync(string channel, string ts, string text, JsonArray? blocks, CancellationToken cancellationToken) =>
        UpdateAsync(channel, ts, text, blocks, singleAttempt: false, cancellationToken);

    /// <summary>
    /// <see cref="UpdateMessageAsync"/> in one attempt, for edits a newer one supersedes (a growing answer):
    /// a rate limit raises <see cref="SlackApiException"/> with its <c>Retry-After</c> instead of waiting.
    /// </summary>
    public Task UpdateMessageOnceAsync(string channel, string ts, string text, CancellationToken cancellationToken) =>
        UpdateAsync(channel, ts, text, blocks: null, singleAttempt: true, cancellationToken);

    private async Task UpdateAsync(string channel, string ts, string text, JsonArray? blocks, bool singleAttempt, CancellationToken cancellationToken)
    {
        using var _ = await CallAsync("chat.update", Json(w =>
        {
            w.WriteString("channel", channel);
            w.WriteString("ts", ts);
            w.WriteString("text", text);
            if (blocks is not null)
            {
                w.WritePropertyName("blocks");
                blocks.WriteTo(w);
            }
        }), options.Value.BotToken, cancellationToken, singleAttempt);
    }

    /// <summary>
    /// Starts a streamed reply in a thread (<c>chat.startStream</c>) with its first text; returns its <c>ts</c>. Outside a
    /// direct message Slack needs the person the stream is for (<paramref name="recipientUser"/>, <paramref name="recipientTeam"/>).
    /// One attempt: a refusal decides between native streaming and editing a message, and the caller falls back at once.
    /// </summary>
    public async Task<string> StartStreamAsync(string channel, string threadTs, string markdown, string? recipientUser, string? recipientTeam, CancellationToken cancellationToken)
    {
        using var doc = await CallAsync("chat.startStream", Json(w =>
        {
            w.WriteString("channel", channel);
            w.WriteString("thread_ts", threadTs);
            w.WriteString("markdown_text", markdown);
            if (recipientUser is not null)
            {
                w.WriteString("recipient_user_id", recipientUser);
            }

            if (recipientTeam is not null)
            {
                w.WriteString("recipient_team_id", recipientTeam);
            }
        }), options.Value.BotToken, cancellationToken, singleAttempt: true);
        return GetString(doc.RootElement, "ts") ?? throw new SlackApiException("chat.startStream", "no_ts");
    }

    /// <summary>Appends text to a streamed reply (<c>chat.appendStream</c>). One attempt: newer text follows, and a rate limit is reported.</summary>
    public async Task AppendStreamAsync(string channel, string ts, string markdown, CancellationToken cancellationToken)
    {
        using var _ = await CallAsync("chat.appendStream", Json(w =>
        {
            w.WriteString("channel", channel);
            w.WriteString("ts", ts);
            w.WriteString("markdown_text", markdown);
        }), options.Value.BotToken, cancellationToken, singleAttempt: true);
    }

    /// <summary>
    /// Ends a streamed reply (<c>chat.stopStream</c>): <paramref name="markdown"/> (when given) is appended, the
    /// <paramref name="blocks"/> are shown under the text, and <paramref name="replyMark"/> goes into the message metadata.
    /// Retried like any call, since nothing follows it.
    /// </summary>
    public async Task StopStreamAsync(string channel, string ts, string? markdown, JsonArray? blocks, string? replyMark, CancellationToken cancellationToken)
    {
        using var _ = await CallAsync("chat.stopStream", Json(w =>
        {
            w.WriteString("channel", channel);
            w.WriteString("ts", ts);
            if (!string.IsNullOrEmpty(markdown))
            {
                w.WriteString("markdown_text", markdown);
            }

            if (blocks is not null)
            {
                w.WritePropertyName("blocks");
                blocks.WriteTo(w);
            }

            WriteMark(w, replyMark);
        }), options.Value.BotToken, cancellationToken);
    }

    /// <summary>
    /// An assistant thread's status line (<c>assistant.threads.setStatus</c>); an empty status clears it. One attempt:
    /// it is only a sign, skipped when Slack is busy.
    /// </summary>
    public Task SetAssistantStatusAsync(string channel, string threadTs, string status, CancellationToken cancellationToken) =>
        SetAssistantThreadAsync("assistant.threads.setStatus", channel, threadTs, "status", status, cancellationToken);

    /// <summary>An assistant thread's title in the person's history (<c>assistant.threads.setTitle</c>). One attempt.</summary>
    public Task SetAssistantTitleAsync(string channel, string threadTs, string title, CancellationToken cancellationToken) =>
        SetAssistantThreadAsync("assistant.threads.setTitle", channel, threadTs, "title", title, cancellationToken);

    /// <summary>One property of an assistant thread, in one attempt (a sign: skipped when Slack is busy).</summary>
    private async Task SetAssistantThreadAsync(string method, string channel, string threadTs, string property, string value, CancellationToken cancellationToken)
    {
        using var _ = await CallAsync(method, Json(w =>
        {
            w.WriteString("channel_id", channel);
            w.WriteString("thread_ts", threadTs);
            w.WriteString(property, value);
        }), options.Value.BotToken, cancellationToken, singleAttempt: true);
    }

    /// <summary>The prompts offered in a new assistant thread (<c>assistant.threads.setSuggestedPrompts</c>, at most four).</summary>
    public async Task SetSuggestedPromptsAsync(string channel, string threadTs, string? title, IReadOnlyList<(string Title, string Message)> prompts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(prompts);
        using var _ = await CallAsync("assistant.threads.setSuggestedPrompts", Json(w =>
        {
            w.WriteString("channel_id", channel);
            w.WriteString("thread_ts", threadTs);
            if (title is not null)
            {
                w.WriteString("title", title);
            }

            w.WriteStartArray("prompts");
            foreach (var (promptTitle, message) in prompts)
            {
                w.WriteStartObject();
                w.WriteString("title", promptTitle);
                w.WriteString("message", message);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }), options.Value.BotToken, cancellationToken);
    }

    /// <summary>A message only <paramref name="user"/> sees.</summary>
    public async Task PostEphemeralAsync(SlackPost post, string user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(post);
        using var _ = await CallAsync("chat.postEphemeral", Json(w => WritePost(w, post, user)), options.Value.BotToken, cancellationToken);
    }

    /// <summary>
    /// Adds an emoji reaction; a reaction the bot already made counts as done. One attempt: a reaction is only a sign,
    /// so a rate limit or failure is reported, never retried.
    /// </summary>
    public async Task AddReactionAsync(string channel, string timestamp, string name, CancellationToken cancellationToken)
    {
        try
        {
            using var _ = await CallAsync("reactions.add", Json(w =>
            {
                w.WriteString("channel", channel);
                w.WriteString("timestamp", timestamp);
                w.WriteString("name", name);
            }), options.Value.BotToken, cancellationToken, singleAttempt: true);
        }
        catch (SlackApiException ex) when (ex.Error == "already_reacted")
        {
        }
    }

    /// <summary>
    /// Every message of the thread rooted at <paramref name="threadTs"/>, oldest first, following cursors; with
    /// <paramref name="includeMetadata"/>, the reply marks of SupportBot's messages too (<c>include_all_metadata</c>).
    /// </summary>
    public async Task<IReadOnlyList<SlackThreadMessage>> GetRepliesAsync(string channel, string threadTs, CancellationToken cancellationToken, bool includeMetadata = false)
    {
        var messages = new List<SlackThreadMessage>();
        string? cursor = null;
        for (var page = 0; page < MaxRepliesPages; page++)
        {
            var fields = new List<KeyValuePair<string, string>>
            {
                new("channel", channel),
                new("ts", threadTs),
                new("limit", RepliesPageSize.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            };
            if (cursor is not null)
            {
                fields.Add(new("cursor", cursor));
            }

            if (includeMetadata)
            {
                fields.Add(new("include_all_metadata", "true"));
            }

            using var doc = await CallAsync("conversations.replies", new FormUrlEncodedContent(fields), options.Value.BotToken, cancellationToken);
            var root = doc.RootElement;
            if (root.TryGetProperty("messages"u8, out var list) && list.ValueKind == JsonValueKind.Array)
            {
                foreach (var m in list.EnumerateArray())
                {
                    messages.Add(new SlackThreadMessage(GetString(m, "ts") ?? string.Empty, GetString(m, "user"), GetString(m, "bot_id"), GetString(m, "text") ?? string.Empty, ReplyMarkOf(m)));
                }
            }

            cursor = root.TryGetProperty("response_metadata"u8, out var meta) ? GetString(meta, "next_cursor") : null;
            if (string.IsNullOrEmpty(cursor))
            {
                break;
            }
        }

        return messages;
    }

    /// <summary>The user ids of a user group (<c>usergroups.users.list</c>, scope <c>usergroups:read</c>).</summary>
    public async Task<IReadOnlyList<string>> GetUserGroupMembersAsync(string userGroup, CancellationToken cancellationToken)
    {
        using var doc = await CallAsync("usergroups.users.list", new FormUrlEncodedContent([new("usergroup", userGroup)]), options.Value.BotToken, cancellationToken);
        return doc.RootElement.TryGetProperty("users"u8, out var users) && users.ValueKind == JsonValueKind.Array
            ? [.. users.EnumerateArray().Where(u => u.ValueKind == JsonValueKind.String).Select(u => u.GetString()!)]
            : [];
    }

    /// <summary>True when <paramref name="userId"/> is marked away (<c>users.getPresence</c>, scope <c>users:read</c>).</summary>
    public async Task<bool> IsAwayAsync(string userId, CancellationToken cancellationToken)
    {
        using var doc = await CallAsync("users.getPresence", new FormUrlEncodedContent([new("user", userId)]), options.Value.BotToken, cancellationToken);
        return GetString(doc.RootElement, "presence") == "away";
    }

    public async Task<SlackUser> GetUserAsync(string userId, CancellationToken cancellationToken)
    {
        using var doc = await CallAsync("users.info", new FormUrlEncodedContent([new("user", userId)]), options.Value.BotToken, cancellationToken);
        var user = doc.RootElement.GetProperty("user");
        return new SlackUser(GetString(user, "id") ?? userId, GetString(user, "name") ?? userId, GetString(user, "real_name"));
    }

    /// <summary>Opens a modal; <paramref name="triggerId"/> is valid for three seconds after the interaction.</summary>
    public async Task OpenViewAsync(string triggerId, JsonObject view, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(view);
        using var _ = await CallAsync("views.open", Json(w =>
        {
            w.WriteString("trigger_id", triggerId);
            w.WritePropertyName("view");
            view.WriteTo(w);
        }), options.Value.BotToken, cancellationToken);
    }

    /// <summary>A fresh Socket Mode WebSocket URL; needs the app-level token.</summary>
    public async Task<Uri> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        using var doc = await CallAsync("apps.connections.open", null, options.Value.AppToken, cancellationToken);
        return new Uri(GetString(doc.RootElement, "url") ?? throw new SlackApiException("apps.connections.open", "no_url"));
    }

    private async Task<JsonDocument> CallAsync(string method, HttpContent? content, string? token, CancellationToken cancellationToken, bool singleAttempt = false)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, method) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (singleAttempt)
        {
            request.Options.Set(SlackResilience.SingleAttempt, true);
        }

        var http = clients.CreateClient(HttpClientName);
        http.BaseAddress ??= options.Value.ApiBase;
        using var response = await http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new SlackApiException(method, $"http_{(int)response.StatusCode}") { RetryAfter = RetryAfterOf(response, time) };
        }

        var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        JsonDocument doc;
        try
        {
            doc = await JsonDocument.ParseAsync(stream, default, cancellationToken);
        }
        catch (JsonException ex)
        {
            throw new SlackApiException($"Slack {method} answered with a body that is not JSON.", ex);
        }

        if (doc.RootElement.ValueKind == JsonValueKind.Object
            && doc.RootElement.TryGetProperty("ok"u8, out var ok) && ok.ValueKind == JsonValueKind.True)
        {
            return doc;
        }

        var error = GetString(doc.RootElement, "error") ?? "unknown_error";
        doc.Dispose();
        throw new SlackApiException(method, error);
    }

    private static TimeSpan? RetryAfterOf(HttpResponseMessage response, TimeProvider time) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - time.GetUtcNow(),
        _ => null,
    };

    private static string? ReplyMarkOf(JsonElement message) =>
        message.TryGetProperty("metadata"u8, out var metadata)
        && GetString(metadata, "event_type") == SlackReplyMetadata.EventType
        && metadata.TryGetProperty("event_payload"u8, out var payload)
            ? GetString(payload, SlackReplyMetadata.MarkField)
            : null;

    private static void WritePost(Utf8JsonWriter w, SlackPost post, string? user)
    {
        w.WriteString("channel", post.Channel);
        if (user is not null)
        {
            w.WriteString("user", user);
        }

        w.WriteString("text", post.Text);
        if (post.ThreadTs is not null)
        {
            w.WriteString("thread_ts", post.ThreadTs);
        }

        // Never turn "@channel" or user names in answer text into notifications.
        w.WriteBoolean("link_names", false);
        w.WriteBoolean("unfurl_links", false);
        if (post.Blocks is not null)
        {
            w.WritePropertyName("blocks");
            post.Blocks.WriteTo(w);
        }

        WriteMark(w, post.ReplyMark);
    }

    private static void WriteMark(Utf8JsonWriter w, string? replyMark)
    {
        if (replyMark is not null)
        {
            w.WriteStartObject("metadata");
            w.WriteString("event_type", SlackReplyMetadata.EventType);
            w.WriteStartObject("event_payload");
            w.WriteString(SlackReplyMetadata.MarkField, replyMark);
            w.WriteEndObject();
            w.WriteEndObject();
        }
    }

    internal static ByteArrayContent Json(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            write(writer);
            writer.WriteEndObject();
        }

        // ByteArrayContent can be sent again when the resilience pipeline retries.
        var content = new ByteArrayContent(buffer.WrittenSpan.ToArray());
        content.Headers.ContentType = JsonUtf8;
        return content;
    }

    internal static string? GetString(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
