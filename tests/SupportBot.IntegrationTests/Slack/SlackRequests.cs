using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SupportBot.Slack.Signing;

namespace SupportBot.IntegrationTests.Slack;

/// <summary>Requests as Slack sends them: raw bodies signed with the documented v0 algorithm.</summary>
public static class SlackRequests
{
    public const string SigningSecret = "test-signing-secret-0123456789ab";
    public const string BotToken = "xoxb-test-token";
    public const string Channel = "C0SUPPORT";

    private static int _seq;

    /// <summary>
    /// A host with Slack on, wired to <paramref name="api"/>. With a real platform configured the built-in sample
    /// routes and cases are not used unless named, so these settings name them, as a deployment names its own.
    /// </summary>
    public static string[] Settings(SlackApiStandIn api, params string[] more) =>
    [
        $"Slack:SigningSecret={SigningSecret}", $"Slack:BotToken={BotToken}", $"Slack:ApiBaseUrl={api.ApiBase}", $"Slack:ResponseUrlHosts={api.ResponseUrl.Authority}",
        .. SampleData, .. more,
    ];

    /// <summary>The built-in sample routes and cases, named explicitly.</summary>
    public static readonly string[] SampleData =
    [
        $"Escalation:RoutesFile={SupportBot.Core.Escalations.EscalationOptions.BuiltInRoutes}",
        $"Cases:File={SupportBot.Core.Cases.CaseOptions.BuiltInCases}",
    ];

    public static HttpRequestMessage SignedRequest(string path, string body, string contentType, DateTimeOffset? at = null, string? secret = null)
    {
        var timestamp = (at ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var bytes = Encoding.UTF8.GetBytes(body);
        var signature = new SlackSignatureVerifier(secret ?? SigningSecret, TimeProvider.System).Sign(timestamp, bytes);
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        request.Headers.Add(SlackSignatureVerifier.TimestampHeader, timestamp);
        request.Headers.Add(SlackSignatureVerifier.SignatureHeader, signature);
        return request;
    }

    public static HttpRequestMessage Event(JsonObject envelope) => SignedRequest("/slack/events", envelope.ToJsonString(), "application/json");

    public static HttpRequestMessage Command(string command, string text, string? responseUrl = null) =>
        SignedRequest("/slack/commands", Form(new()
        {
            ["token"] = "legacy",
            ["team_id"] = "T0001",
            ["channel_id"] = Channel,
            ["user_id"] = "UAGENT01",
            ["user_name"] = "agent",
            ["command"] = command,
            ["text"] = text,
            ["response_url"] = responseUrl ?? "https://hooks.slack.invalid/commands/T0001/1/x",
            ["trigger_id"] = "1.2.trigger",
        }), "application/x-www-form-urlencoded");

    public static HttpRequestMessage Interaction(JsonObject payload) =>
        SignedRequest("/slack/interactions", Form(new() { ["payload"] = payload.ToJsonString() }), "application/x-www-form-urlencoded");

    public static string Form(Dictionary<string, string> fields) =>
        string.Join('&', fields.Select(f => $"{Uri.EscapeDataString(f.Key)}={Uri.EscapeDataString(f.Value)}"));

    /// <summary>The modal a <c>views.open</c> call opened.</summary>
    public static JsonElement View(SlackCall call) => JsonDocument.Parse(call.Json.GetProperty("view").GetRawText()).RootElement;

    /// <summary>The input element of the modal's block <paramref name="blockId"/>.</summary>
    public static JsonElement Element(JsonElement view, string blockId) =>
        view.GetProperty("blocks").EnumerateArray().Single(b => b.TryGetProperty("block_id", out var id) && id.GetString() == blockId).GetProperty("element");

    /// <summary>A message shortcut chosen on the message <paramref name="ts"/>, shaped like Slack's <c>message_action</c>.</summary>
    public static JsonObject MessageShortcut(string callbackId, string text, string ts, string? threadTs = null, Uri? responseUrl = null)
    {
        var message = new JsonObject { ["type"] = "message", ["text"] = text, ["user"] = "UCUSTOMERDESK", ["ts"] = ts, ["team"] = "T0001" };
        if (threadTs is not null)
        {
            message["thread_ts"] = threadTs;
        }

        return new JsonObject
        {
            ["type"] = "message_action",
            ["token"] = "legacy",
            ["action_ts"] = NextTs(),
            ["team"] = new JsonObject { ["id"] = "T0001", ["domain"] = "paylane" },
            ["user"] = new JsonObject { ["id"] = "UAGENT01", ["name"] = "agent" },
            ["channel"] = new JsonObject { ["id"] = Channel, ["name"] = "support" },
            ["callback_id"] = callbackId,
            ["trigger_id"] = "3." + Guid.NewGuid().ToString("N")[..8] + ".trigger",
            ["message_ts"] = ts,
            ["message"] = message,
            ["response_url"] = (responseUrl ?? new Uri("https://hooks.slack.invalid/app/T0001/1/x")).ToString(),
        };
    }

    public static string NextTs() => string.Create(CultureInfo.InvariantCulture, $"1710000000.{Interlocked.Increment(ref _seq):D6}");

    public static string NewEventId() => "Ev" + Guid.NewGuid().ToString("N")[..12].ToUpperInvariant();

    /// <summary>An <c>event_callback</c> envelope around <paramref name="ev"/>, shaped like Slack's.</summary>
    public static JsonObject Envelope(JsonObject ev, string? eventId = null) => new()
    {
        ["token"] = "legacy",
        ["team_id"] = "T0001",
        ["api_app_id"] = "A0001",
        ["event"] = ev,
        ["type"] = "event_callback",
        ["event_id"] = eventId ?? NewEventId(),
        ["event_time"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
        ["authorizations"] = new JsonArray(new JsonObject { ["team_id"] = "T0001", ["user_id"] = SlackApiStandIn.BotUserId, ["is_bot"] = true }),
    };

    public static JsonObject Mention(string text, string ts, string? threadTs = null, string channel = Channel)
    {
        var ev = new JsonObject
        {
            ["type"] = "app_mention",
            ["user"] = "UAGENT01",
            ["text"] = $"<@{SlackApiStandIn.BotUserId}> {text}",
            ["ts"] = ts,
            ["channel"] = channel,
            ["event_ts"] = ts,
        };
        if (threadTs is not null)
        {
            ev["thread_ts"] = threadTs;
        }

        return ev;
    }

    public static JsonObject Message(string text, string ts, string channelType = "channel", string? threadTs = null, string channel = Channel, string user = "UAGENT01")
    {
        var ev = new JsonObject
        {
            ["type"] = "message",
            ["user"] = user,
            ["text"] = text,
            ["ts"] = ts,
            ["channel"] = channel,
            ["event_ts"] = ts,
            ["channel_type"] = channelType,
        };
        if (threadTs is not null)
        {
            ev["thread_ts"] = threadTs;
        }

        return ev;
    }
}
