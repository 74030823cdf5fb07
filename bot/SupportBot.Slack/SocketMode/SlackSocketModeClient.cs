using System.Buffers;
using System.Net.WebSockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SupportBot.Slack.Commands;
using SupportBot.Slack.Events;
using SupportBot.Slack.Interactions;
using SupportBot.Slack.WebApi;

namespace SupportBot.Slack.SocketMode;

/// <summary>
/// Socket Mode (when <c>Slack:AppToken</c> is set): <c>apps.connections.open</c> gives a WebSocket URL;
/// Slack greets with <c>hello</c>, sends envelopes (<c>events_api</c>, <c>slash_commands</c>,
/// <c>interactive</c>) that are each acknowledged by <c>envelope_id</c> after the same handlers as HTTP ran,
/// and asks for a fresh connection with <c>disconnect</c>. Drops reconnect with backoff.
/// </summary>
internal sealed partial class SlackSocketModeClient(
    SlackApiClient api,
    SlackEventHandler events,
    SlashCommandHandler commands,
    Workspaces.SlackWorkspaceGate workspaces,
    SlackInteractionHandler interactions,
    TimeProvider time,
    ILogger<SlackSocketModeClient> logger) : BackgroundService
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);
    private int _connections;

    /// <summary>How many connections were opened so far.</summary>
    public int Connections => Volatile.Read(ref _connections);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var backoff = TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var url = await api.OpenConnectionAsync(stoppingToken);
                using var socket = new ClientWebSocket();
                socket.Options.KeepAliveInterval = TimeSpan.FromSeconds(30);
                await socket.ConnectAsync(url, stoppingToken);
                Interlocked.Increment(ref _connections);
                backoff = TimeSpan.FromSeconds(1);
                var reason = await ReceiveAsync(socket, stoppingToken);
                LogReconnecting(logger, reason);
                await CloseQuietlyAsync(socket, time);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is WebSocketException or HttpRequestException or SlackApiException or IOException or OperationCanceledException)
            {
                LogDropped(logger, ex, backoff);
                try
                {
                    await Task.Delay(backoff, time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
            }
        }
    }

    /// <summary>Reads frames until Slack asks for a new connection or closes this one; returns why.</summary>
    private async Task<string> ReceiveAsync(ClientWebSocket socket, CancellationToken cancellationToken)
    {
        using var sending = new SemaphoreSlim(1, 1);
        var inFlight = new List<Task>();
        var buffer = new ArrayBufferWriter<byte>(16 * 1024);
        while (socket.State == WebSocketState.Open)
        {
            buffer.ResetWrittenCount();
            ValueWebSocketReceiveResult frame;
            do
            {
                frame = await socket.ReceiveAsync(buffer.GetMemory(8 * 1024), cancellationToken);
                buffer.Advance(frame.Count);
            }
            while (!frame.EndOfMessage && frame.MessageType != WebSocketMessageType.Close);

            if (frame.MessageType == WebSocketMessageType.Close)
            {
                return "closed by Slack";
            }

            using var document = JsonDocument.Parse(buffer.WrittenMemory);
            var root = document.RootElement;
            switch (SlackEventReader.Str(root, "type"u8))
            {
                case "hello":
                    LogHello(logger);
                    break;
                case "disconnect":
                    await Task.WhenAll(inFlight);
                    return "disconnect: " + (SlackEventReader.Str(root, "reason"u8) ?? "unspecified");
                case { } type when SlackEventReader.Str(root, "envelope_id"u8) is { } envelopeId && root.TryGetProperty("payload"u8, out var payload):
                    inFlight.RemoveAll(t => t.IsCompleted);
                    inFlight.Add(HandleEnvelopeAsync(socket, sending, type, envelopeId, payload.Clone(), cancellationToken));
                    break;
                default:
                    break;
            }
        }

        return "connection " + socket.State;
    }

    private async Task HandleEnvelopeAsync(ClientWebSocket socket, SemaphoreSlim sending, string type, string envelopeId, JsonElement payload, CancellationToken cancellationToken)
    {
        try
        {
            JsonObject? response = null;
            switch (type)
            {
                case "events_api":
                    await events.HandleAsync(payload, cancellationToken);
                    break;
                case "slash_commands":
                    var command = new SlashCommand(
                        SlackEventReader.Str(payload, "command"u8) ?? string.Empty,
                        SlackEventReader.Str(payload, "text"u8) ?? string.Empty,
                        SlackEventReader.Str(payload, "user_id"u8) ?? string.Empty,
                        SlackEventReader.Str(payload, "channel_id"u8) ?? string.Empty,
                        SlackEventReader.Str(payload, "team_id"u8),
                        SlackEventReader.Str(payload, "response_url"u8),
                        SlackEventReader.Str(payload, "trigger_id"u8),
                        SlackEventReader.Str(payload, "enterprise_id"u8));
                    var answer = await workspaces.RefuseCommandAsync(command, cancellationToken) ?? await commands.HandleAsync(command, cancellationToken);
                    response = answer.IsNone ? null : answer.ToJson();
                    break;
                case "interactive":
                    response = await interactions.HandleAsync(payload, cancellationToken);
                    break;
                default:
                    LogUnknownEnvelope(logger, type);
                    break;
            }

            var ack = new JsonObject { ["envelope_id"] = envelopeId };
            if (response is not null)
            {
                ack["payload"] = response;
            }

            var bytes = System.Text.Encoding.UTF8.GetBytes(ack.ToJsonString());
            await sending.WaitAsync(cancellationToken);
            try
            {
                await socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
            }
            finally
            {
                sending.Release();
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Not acknowledged: Slack redelivers the envelope, and the gateway answers it once.
            LogEnvelopeFailed(logger, ex, type);
        }
    }

    private static async Task CloseQuietlyAsync(ClientWebSocket socket, TimeProvider time)
    {
        if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2), time);
            try
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "reconnecting", timeout.Token);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
            {
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Slack Socket Mode: connected (hello)")]
    private static partial void LogHello(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Slack Socket Mode: reconnecting ({Reason})")]
    private static partial void LogReconnecting(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack Socket Mode: connection failed or dropped; retrying in {Backoff}")]
    private static partial void LogDropped(ILogger logger, Exception exception, TimeSpan backoff);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack Socket Mode: unknown envelope type {Type} acknowledged")]
    private static partial void LogUnknownEnvelope(ILogger logger, string type);

    [LoggerMessage(Level = LogLevel.Error, Message = "Slack Socket Mode: handling a {Type} envelope failed")]
    private static partial void LogEnvelopeFailed(ILogger logger, Exception exception, string type);
}
