using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SupportBot.IntegrationTests.Infrastructure;
using static SupportBot.IntegrationTests.Slack.SlackRequests;

namespace SupportBot.IntegrationTests.Slack;

/// <summary>Socket Mode against a local WebSocket stand-in that speaks Slack's frames.</summary>
public sealed class SlackSocketModeTests : IAsyncLifetime
{
    private readonly ConcurrentQueue<(int Connection, JsonElement Ack)> _acks = new();
    private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private SlackApiStandIn _api = null!;

    public async Task InitializeAsync() => _api = await SlackApiStandIn.StartAsync();

    public async Task DisposeAsync()
    {
        _finished.TrySetResult();
        await _api.DisposeAsync();
    }

    private static Task SendAsync(WebSocket socket, JsonObject frame) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(frame.ToJsonString()), WebSocketMessageType.Text, true, CancellationToken.None);

    private async Task<JsonElement> ReceiveAckAsync(WebSocket socket, int connection)
    {
        var buffer = new byte[64 * 1024];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var result = await socket.ReceiveAsync(buffer, timeout.Token);
        var ack = JsonDocument.Parse(buffer.AsMemory(0, result.Count)).RootElement.Clone();
        _acks.Enqueue((connection, ack));
        return ack;
    }

    private static JsonObject Envelope(string id, string type, JsonObject payload) => new()
    {
        ["envelope_id"] = id,
        ["type"] = type,
        ["payload"] = payload,
        ["accepts_response_payload"] = type == "slash_commands",
        ["retry_attempt"] = 0,
        ["retry_reason"] = "",
    };

    [Fact]
    public async Task Envelopes_are_handled_and_acknowledged_and_the_client_reconnects_on_disconnect_and_drops()
    {
        var mentionTs = NextTs();
        _api.SocketHandler = async (socket, n) =>
        {
            await SendAsync(socket, new JsonObject { ["type"] = "hello", ["num_connections"] = 1, ["connection_info"] = new JsonObject { ["app_id"] = "A0001" } });
            switch (n)
            {
                case 1:
                    await SendAsync(socket, Envelope("env-1", "events_api", SlackRequests.Envelope(Mention("How do I respond to a dispute?", mentionTs))));
                    await ReceiveAckAsync(socket, n);
                    await SendAsync(socket, new JsonObject { ["type"] = "disconnect", ["reason"] = "refresh_requested" });
                    var buffer = new byte[1024];
                    using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
                    {
                        while ((await socket.ReceiveAsync(buffer, timeout.Token)).MessageType != WebSocketMessageType.Close)
                        {
                        }
                    }

                    break;
                case 2:
                    var command = new JsonObject { ["command"] = "/case", ["text"] = "48213", ["user_id"] = "UAGENT01", ["channel_id"] = Channel, ["team_id"] = "T0001" };
                    await SendAsync(socket, Envelope("env-2", "slash_commands", command));
                    await ReceiveAckAsync(socket, n);
                    // Return without a close handshake: a dropped connection.
                    break;
                default:
                    var action = new JsonObject
                    {
                        ["type"] = "block_actions",
                        ["team"] = new JsonObject { ["id"] = "T0001", ["domain"] = "paylane" },
                        ["user"] = new JsonObject { ["id"] = "UAGENT09" },
                        ["container"] = new JsonObject { ["type"] = "message", ["message_ts"] = "1700000000.000200", ["channel_id"] = Channel },
                        ["actions"] = new JsonArray(new JsonObject { ["action_id"] = "escalate", ["type"] = "button" }),
                    };
                    await SendAsync(socket, Envelope("env-3", "interactive", action));
                    await ReceiveAckAsync(socket, n);
                    await _finished.Task;
                    break;
            }
        };

        await using var host = await BotHost.StartAsync(Settings(_api, "Slack:AppToken=xapp-1-test"));

        // The event was answered through the same pipeline as HTTP.
        var post = (await _api.WaitForAsync("chat.postMessage", c => c.Field("thread_ts") == mentionTs)).Single();
        Assert.Contains("dispute", post.Field("text")!, StringComparison.OrdinalIgnoreCase);
        await _api.WaitForAsync("chat.postMessage", c => c.Field("text")?.StartsWith("This looks like one for", StringComparison.Ordinal) == true);

        await RedisServer.WaitUntilAsync(() => Task.FromResult(_acks.Count >= 3), TimeSpan.FromSeconds(20), "not every envelope was acknowledged");
        var acks = _acks.ToList();
        Assert.Equal(3, acks.Count);
        Assert.Equal(["env-1", "env-2", "env-3"], acks.OrderBy(a => a.Connection).Select(a => a.Ack.GetProperty("envelope_id").GetString()));
        var commandAck = acks.Single(a => a.Connection == 2).Ack;
        Assert.Equal("No case 48213 was found.", commandAck.GetProperty("payload").GetProperty("text").GetString());
        Assert.False(acks.Single(a => a.Connection == 1).Ack.TryGetProperty("payload", out _));

        // One apps.connections.open per connection, with the app-level token.
        Assert.Equal(3, _api.SocketConnections);
        var opens = _api.CallsTo("apps.connections.open");
        Assert.True(opens.Count >= 3);
        Assert.All(opens, c => Assert.Equal("Bearer xapp-1-test", c.Authorization));
    }

    [Fact]
    public async Task The_escalation_form_opens_from_a_command_and_its_refusal_rides_on_the_ack()
    {
        _api.SocketHandler = async (socket, n) =>
        {
            await SendAsync(socket, new JsonObject { ["type"] = "hello", ["num_connections"] = 1 });
            if (n != 1)
            {
                await _finished.Task;
                return;
            }

            var command = new JsonObject { ["command"] = "/escalate", ["text"] = "payouts", ["user_id"] = "UAGENT01", ["channel_id"] = Channel, ["team_id"] = "T0001", ["trigger_id"] = "9.9.trigger" };
            await SendAsync(socket, Envelope("env-form-1", "slash_commands", command));
            await ReceiveAckAsync(socket, n);
            var submission = new JsonObject
            {
                ["type"] = "view_submission",
                ["team"] = new JsonObject { ["id"] = "T0001", ["domain"] = "paylane" },
                ["user"] = new JsonObject { ["id"] = "UAGENT01", ["username"] = "agent" },
                ["view"] = new JsonObject
                {
                    ["id"] = "V0SOCKET",
                    ["callback_id"] = "escalate",
                    ["private_metadata"] = $"{{\"channel\":\"{Channel}\"}}",
                    ["state"] = new JsonObject { ["values"] = new JsonObject { ["escalate.summary"] = new JsonObject { ["summary"] = new JsonObject { ["type"] = "plain_text_input", ["value"] = "stuck payout" } } } },
                },
            };
            await SendAsync(socket, Envelope("env-form-2", "interactive", submission));
            await ReceiveAckAsync(socket, n);
            await _finished.Task;
        };

        await using var host = await BotHost.StartAsync(Settings(_api, "Slack:AppToken=xapp-1-test"));

        await RedisServer.WaitUntilAsync(() => Task.FromResult(_acks.Count >= 2), TimeSpan.FromSeconds(20), "the envelopes were not acknowledged");
        var acks = _acks.Select(a => a.Ack).ToList();
        Assert.False(acks[0].TryGetProperty("payload", out _));
        Assert.Equal("9.9.trigger", Assert.Single(_api.CallsTo("views.open")).Field("trigger_id"));
        var refusal = acks[1].GetProperty("payload");
        Assert.Equal("errors", refusal.GetProperty("response_action").GetString());
        Assert.Equal(["escalate.team", "escalate.severity"], refusal.GetProperty("errors").EnumerateObject().Select(e => e.Name));
    }
}
