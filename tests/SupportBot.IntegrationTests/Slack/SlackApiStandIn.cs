using System.Collections.Concurrent;
using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SupportBot.IntegrationTests.Infrastructure;

namespace SupportBot.IntegrationTests.Slack;

/// <summary>One Web API call as the stand-in received it.</summary>
public sealed record SlackCall(string Method, string? Authorization, string ContentType, string Body, DateTimeOffset At)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;

    /// <summary>What the stand-in answered (null for scripted answers), e.g. the <c>ts</c> of a posted message.</summary>
    public JsonObject? Answer { get; set; }

    public string? Field(string name)
    {
        if (ContentType.StartsWith("application/json", StringComparison.Ordinal))
        {
            return Json.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        }

        return QueryHelpers.ParseQuery(Body).TryGetValue(name, out var form) ? form.ToString() : null;
    }
}

/// <summary>
/// A local stand-in of Slack's Web API (<c>POST /api/{method}</c>) on Kestrel: records every call, answers
/// like Slack (HTTP 200 with <c>ok</c>), and can be told to answer the next call of a method with a 429
/// or an <c>ok:false</c>. It also serves a Socket Mode WebSocket at <c>/link</c> and a response_url sink.
/// </summary>
public sealed class SlackApiStandIn : IAsyncDisposable
{
    public const string BotUserId = "UBOT0001";
    public const string BotId = "BBOT0001";

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<SlackCall> _calls = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<Func<HttpContext, Task>>> _scripted = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<JsonObject> _responses = new();
    private int _ts = 1000;

    private SlackApiStandIn(WebApplication app) => _app = app;

    public Uri BaseAddress { get; private set; } = null!;

    public Uri ApiBase => new(BaseAddress, "/api/");

    public Uri ResponseUrl => new(BaseAddress, "/response");

    /// <summary>Users users.getPresence reports as away (everyone else is active).</summary>
    public ConcurrentDictionary<string, bool> Away { get; } = new(StringComparer.Ordinal);

    /// <summary>User groups for usergroups.users.list: group id → member ids.</summary>
    public ConcurrentDictionary<string, string[]> UserGroups { get; } = new(StringComparer.Ordinal);

    /// <summary>Threads for conversations.replies, by "channel:thread_ts".</summary>
    public ConcurrentDictionary<string, List<JsonObject>> Threads { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Whether a posted thread reply is kept in <see cref="Threads"/> (with its message metadata, which
    /// conversations.replies returns only with <c>include_all_metadata</c>, as Slack does).
    /// </summary>
    public bool KeepPostsInThreads { get; set; }

    /// <summary>conversations.replies page size (small, to exercise cursors).</summary>
    public int RepliesPageSize { get; set; } = 2;

    /// <summary>
    /// When set, every <c>chat.startStream</c>, <c>chat.appendStream</c> and <c>chat.stopStream</c> is answered
    /// <c>ok:false</c> with this error, as a workspace without native streaming answers (e.g. <c>unknown_method</c>).
    /// </summary>
    public string? RefuseStreaming { get; set; }

    /// <summary>What the WebSocket at /link does with each connection (Socket Mode stand-in).</summary>
    public Func<WebSocket, int, Task>? SocketHandler { get; set; }

    private int _socketConnections;

    public int SocketConnections => Volatile.Read(ref _socketConnections);

    public IReadOnlyList<SlackCall> Calls => [.. _calls];

    public IReadOnlyList<JsonObject> ResponseUrlPosts => [.. _responses];

    public IReadOnlyList<SlackCall> CallsTo(string method) => [.. _calls.Where(c => c.Method == method)];

    public static async Task<SlackApiStandIn> StartAsync()
    {
        var builder = Loopback.StandInBuilder();
        var app = builder.Build();
        var standIn = new SlackApiStandIn(app);
        app.UseWebSockets();
        app.MapPost("/api/{method}", (Func<HttpContext, string, Task>)standIn.HandleAsync);
        app.MapPost("/response", async context =>
        {
            var node = await JsonNode.ParseAsync(context.Request.Body);
            standIn._responses.Enqueue(node!.AsObject());
        });
        app.Map("/link", async context =>
        {
            if (!context.WebSockets.IsWebSocketRequest)
            {
                context.Response.StatusCode = 400;
                return;
            }

            var n = Interlocked.Increment(ref standIn._socketConnections);
            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            if (standIn.SocketHandler is { } handler)
            {
                await handler(socket, n);
            }
        });
        await app.StartAsync();
        standIn.BaseAddress = Loopback.AddressOf(app);
        return standIn;
    }

    /// <summary>The next call of <paramref name="method"/> gets <paramref name="respond"/> instead of the usual answer.</summary>
    public void Script(string method, Func<HttpContext, Task> respond) =>
        _scripted.GetOrAdd(method, _ => new ConcurrentQueue<Func<HttpContext, Task>>()).Enqueue(respond);

    public void ScriptRateLimit(string method, int retryAfterSeconds) => Script(method, context =>
    {
        context.Response.StatusCode = 429;
        context.Response.Headers.RetryAfter = retryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        return Task.CompletedTask;
    });

    public void ScriptError(string method, string error) =>
        Script(method, context => context.Response.WriteAsJsonAsync(new JsonObject { ["ok"] = false, ["error"] = error }));

    public async Task<IReadOnlyList<SlackCall>> WaitForAsync(string method, Func<SlackCall, bool> match, int count = 1, int seconds = 20)
    {
        IReadOnlyList<SlackCall> found = [];
        await RedisServer.WaitUntilAsync(() =>
        {
            found = [.. CallsTo(method).Where(match)];
            return Task.FromResult(found.Count >= count);
        }, TimeSpan.FromSeconds(seconds), $"expected {count} call(s) of {method}; got {found.Count}");
        return found;
    }

    private async Task HandleAsync(HttpContext context, string method)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        var call = new SlackCall(method, context.Request.Headers.Authorization.ToString(), context.Request.ContentType ?? string.Empty, body, DateTimeOffset.UtcNow);
        _calls.Enqueue(call);
        if (_scripted.TryGetValue(method, out var queue) && queue.TryDequeue(out var scripted))
        {
            await scripted(context);
            return;
        }

        call.Answer = Answer(call);
        await context.Response.WriteAsJsonAsync(call.Answer);
    }

    private JsonObject Answer(SlackCall call)
    {
        switch (call.Method)
        {
            case "auth.test":
                return new JsonObject { ["ok"] = true, ["user_id"] = BotUserId, ["bot_id"] = BotId, ["team_id"] = "T0001", ["user"] = "supportbot", ["url"] = "https://paylane-support.slack.example/" };
            case "chat.postMessage":
                var ts = string.Create(CultureInfo.InvariantCulture, $"1700000000.{Interlocked.Increment(ref _ts):D6}");
                if (KeepPostsInThreads && call.Field("thread_ts") is { } threadTs)
                {
                    var posted = new JsonObject { ["type"] = "message", ["ts"] = ts, ["bot_id"] = BotId, ["text"] = call.Field("text") };
                    if (call.Json.TryGetProperty("metadata", out var metadata))
                    {
                        posted["metadata"] = JsonNode.Parse(metadata.GetRawText());
                    }

                    var list = Threads.GetOrAdd($"{call.Field("channel")}:{threadTs}", _ => []);
                    lock (list)
                    {
                        list.Add(posted);
                    }
                }

                return new JsonObject { ["ok"] = true, ["channel"] = call.Field("channel"), ["ts"] = ts };
            case "chat.startStream" or "chat.appendStream" or "chat.stopStream" when RefuseStreaming is { } refusal:
                return new JsonObject { ["ok"] = false, ["error"] = refusal };
            case "chat.startStream":
                // Slack's required fields: a channel and, for a reply, its thread; outside a DM the recipient too.
                if (call.Field("channel") is not { } streamChannel || call.Field("thread_ts") is null)
                {
                    return new JsonObject { ["ok"] = false, ["error"] = "invalid_arguments" };
                }

                if (!streamChannel.StartsWith('D') && (call.Field("recipient_user_id") is null || call.Field("recipient_team_id") is null))
                {
                    return new JsonObject { ["ok"] = false, ["error"] = "missing_recipient_user_id" };
                }

                return new JsonObject { ["ok"] = true, ["channel"] = streamChannel, ["ts"] = string.Create(CultureInfo.InvariantCulture, $"1700000000.{Interlocked.Increment(ref _ts):D6}") };
            case "chat.appendStream" or "chat.stopStream":
                return call.Field("channel") is null || call.Field("ts") is null
                    ? new JsonObject { ["ok"] = false, ["error"] = "invalid_arguments" }
                    : new JsonObject { ["ok"] = true, ["channel"] = call.Field("channel"), ["ts"] = call.Field("ts") };
            case "assistant.threads.setStatus" or "assistant.threads.setTitle" or "assistant.threads.setSuggestedPrompts":
                return call.Field("channel_id") is null || call.Field("thread_ts") is null
                    ? new JsonObject { ["ok"] = false, ["error"] = "invalid_arguments" }
                    : new JsonObject { ["ok"] = true };
            case "chat.update":
                return new JsonObject { ["ok"] = true, ["channel"] = call.Field("channel"), ["ts"] = call.Field("ts"), ["text"] = call.Field("text") };
            case "apps.connections.open":
                return new JsonObject { ["ok"] = true, ["url"] = new UriBuilder(BaseAddress) { Scheme = "ws", Path = "/link" }.Uri.ToString() };
            case "usergroups.users.list":
                return UserGroups.TryGetValue(call.Field("usergroup") ?? string.Empty, out var members)
                    ? new JsonObject { ["ok"] = true, ["users"] = new JsonArray([.. members.Select(m => (JsonNode)m)]) }
                    : new JsonObject { ["ok"] = false, ["error"] = "no_such_subteam" };
            case "users.getPresence":
                return new JsonObject { ["ok"] = true, ["presence"] = Away.ContainsKey(call.Field("user") ?? string.Empty) ? "away" : "active" };
            case "users.info":
                return new JsonObject { ["ok"] = true, ["user"] = new JsonObject { ["id"] = call.Field("user"), ["name"] = "agent.smith", ["real_name"] = "Agent Smith" } };
            case "conversations.replies":
                var key = $"{call.Field("channel")}:{call.Field("ts")}";
                if (!Threads.TryGetValue(key, out var thread))
                {
                    return new JsonObject { ["ok"] = false, ["error"] = "thread_not_found" };
                }

                var offset = int.TryParse(call.Field("cursor"), CultureInfo.InvariantCulture, out var c) ? c : 0;
                JsonArray page;
                lock (thread)
                {
                    page = new JsonArray([.. thread.Skip(offset).Take(RepliesPageSize).Select(m => m.DeepClone())]);
                }

                if (call.Field("include_all_metadata") != "true")
                {
                    foreach (var m in page)
                    {
                        m!.AsObject().Remove("metadata");
                    }
                }

                var next = offset + RepliesPageSize < thread.Count ? (offset + RepliesPageSize).ToString(CultureInfo.InvariantCulture) : string.Empty;
                return new JsonObject { ["ok"] = true, ["messages"] = page, ["has_more"] = next.Length > 0, ["response_metadata"] = new JsonObject { ["next_cursor"] = next } };
            default:
                return new JsonObject { ["ok"] = true };
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
