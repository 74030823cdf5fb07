using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace SupportBot.Benchmarks.EndToEnd;

/// <summary>
/// Slack's Web API as the bot sees it under load, on Kestrel: every call answers after <see cref="Latency"/> (a
/// network round trip), and each <c>chat.postMessage</c> is recorded with the reply mark from its message metadata
/// and the moment its answer went back (the reply is posted).
/// </summary>
internal sealed class SlackWebApiStandIn : IAsyncDisposable
{
    public const string Team = "TBENCH01";
    public const string BotUserId = "UBENCHBOT";

    private readonly WebApplication _app;
    private long _ts;

    private SlackWebApiStandIn(WebApplication app, TimeSpan latency)
    {
        _app = app;
        Latency = latency;
    }

    public TimeSpan Latency { get; }

    public Uri ApiBase { get; private set; } = null!;

    /// <summary>Posted replies by mark (<c>{event id}#{n}</c>): when each post's answer went back (Stopwatch ticks).</summary>
    public ConcurrentDictionary<string, ConcurrentBag<long>> Posts { get; } = new(StringComparer.Ordinal);

    public long Calls;

    public static async Task<SlackWebApiStandIn> StartAsync(TimeSpan latency)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var standIn = new SlackWebApiStandIn(app, latency);
        app.MapPost("/api/{method}", (Func<HttpContext, string, Task>)standIn.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        standIn.ApiBase = new Uri(new Uri(address), "/api/");
        return standIn;
    }

    private async Task HandleAsync(HttpContext context, string method)
    {
        Interlocked.Increment(ref Calls);
        JsonElement body = default;
        if (context.Request.ContentType?.StartsWith("application/json", StringComparison.Ordinal) == true)
        {
            using var doc = await JsonDocument.ParseAsync(context.Request.Body);
            body = doc.RootElement.Clone();
        }
        else if (context.Request.HasFormContentType)
        {
            await context.Request.ReadFormAsync();
        }

        // Half the round trip there, half back: a message is in its thread (visible to conversations.replies) once the
        // request has arrived, and counts as posted for the figures once the bot has its answer.
        if (Latency > TimeSpan.Zero)
        {
            await Task.Delay(Latency / 2);
        }

        (string Channel, string Ts, string? Mark)? posted = method == "chat.postMessage" ? Post(body) : null;
        if (Latency > TimeSpan.Zero)
        {
            await Task.Delay(Latency / 2);
        }

        JsonObject answer = method switch
        {
            "auth.test" => new JsonObject { ["ok"] = true, ["user_id"] = BotUserId, ["bot_id"] = "BBENCH01", ["team_id"] = Team, ["url"] = "https://bench.slack.example/" },
            "chat.postMessage" => Posted(posted!.Value),
            "conversations.replies" => Replies(context.Request.HasFormContentType ? context.Request.Form["ts"].ToString() : string.Empty),
            "users.info" => new JsonObject { ["ok"] = true, ["user"] = new JsonObject { ["id"] = "U1", ["name"] = "agent", ["real_name"] = "Agent" } },
            _ => new JsonObject { ["ok"] = true },
        };
        await context.Response.WriteAsync(answer.ToJsonString());
    }

    /// <summary>
    /// The bot's replies by thread, with their marks: a thread whose state expired is read back and the bot's reply
    /// is there, and a replica taking a message over finds a reply posted just before a crash (message metadata).
    /// </summary>
    private readonly ConcurrentDictionary<string, ConcurrentQueue<(string Ts, string? Mark)>> _threads = new(StringComparer.Ordinal);

    private JsonObject Replies(string threadTs)
    {
        // Every thread the load starts is an app_mention: its first message mentions the bot, as on Slack.
        var messages = new JsonArray { new JsonObject { ["type"] = "message", ["ts"] = threadTs, ["user"] = "UAGENT01", ["text"] = $"<@{BotUserId}> a question" } };
        foreach (var (ts, mark) in _threads.TryGetValue(threadTs, out var replies) ? replies : [])
        {
            var reply = new JsonObject { ["type"] = "message", ["ts"] = ts, ["user"] = BotUserId, ["bot_id"] = "BBENCH01", ["text"] = "an answer" };
            if (mark is not null)
            {
                reply["metadata"] = new JsonObject { ["event_type"] = "supportbot_reply", ["event_payload"] = new JsonObject { ["mark"] = mark } };
            }

            messages.Add(reply);
        }

        return new JsonObject { ["ok"] = true, ["messages"] = messages, ["response_metadata"] = new JsonObject { ["next_cursor"] = string.Empty } };
    }

    private JsonObject Posted((string Channel, string Ts, string? Mark) post)
    {
        if (post.Mark is not null)
        {
            Posts.GetOrAdd(post.Mark, _ => []).Add(Stopwatch.GetTimestamp());
        }

        return new JsonObject { ["ok"] = true, ["channel"] = post.Channel, ["ts"] = post.Ts };
    }

    private (string Channel, string Ts, string? Mark) Post(JsonElement body)
    {
        var ts = string.Create(CultureInfo.InvariantCulture, $"1800000000.{Interlocked.Increment(ref _ts):D6}");
        string? mark = null;
        if (body.ValueKind == JsonValueKind.Object
            && body.TryGetProperty("metadata", out var metadata)
            && metadata.TryGetProperty("event_payload", out var payload)
            && payload.TryGetProperty("mark", out var marked))
        {
            mark = marked.GetString()!;
        }

        if (body.ValueKind == JsonValueKind.Object && body.TryGetProperty("thread_ts", out var thread) && thread.GetString() is { } threadTs)
        {
            _threads.GetOrAdd(threadTs, _ => new()).Enqueue((ts, mark));
        }

        return (body.ValueKind == JsonValueKind.Object && body.TryGetProperty("channel", out var c) ? c.GetString() ?? "C0" : "C0", ts, mark);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
