using System.Text.Json;
using Microsoft.Extensions.Logging;
using SupportBot.Core.Conversations;
using SupportBot.Core.Queue;
using SupportBot.Core.Surfaces;
using SupportBot.Slack.BlockKit;
using SupportBot.Slack.Events;
using SupportBot.Slack.WebApi;

namespace SupportBot.Slack.Interactions;

/// <summary>
/// Interactivity payloads (buttons, modals, shortcuts), the same for HTTP and Socket Mode. Helpful,
/// Not helpful and Draft customer reply become <see cref="InboundKind.Action"/> messages for the
/// pipeline; Escalate says plainly (ephemeral) that it is not available yet; everything else is
/// acknowledged and logged.
/// </summary>
public sealed partial class SlackInteractionHandler(
    InboundGateway gateway,
    SlackApiClient api,
    TimeProvider time,
    ILogger<SlackInteractionHandler> logger)
{
    public const string EscalateNotAvailable = "Escalation from Slack is not available yet. Please escalate through your team's usual channel for now.";

    public async Task HandleAsync(JsonElement payload, CancellationToken cancellationToken)
    {
        var type = SlackEventReader.Str(payload, "type");
        switch (type)
        {
            case "block_actions":
                await HandleBlockActionsAsync(payload, cancellationToken);
                break;
            case "view_submission" or "view_closed" or "shortcut" or "message_action":
                var callbackId = Callback(payload);
                LogInteraction(logger, type, callbackId);
                break;
            default:
                LogUnknown(logger, type ?? "(none)", null);
                break;
        }
    }

    private async Task HandleBlockActionsAsync(JsonElement payload, CancellationToken cancellationToken)
    {
        if (!payload.TryGetProperty("actions", out var actions) || actions.ValueKind != JsonValueKind.Array)
        {
            return;
        }

        var user = payload.TryGetProperty("user", out var u) ? SlackEventReader.Str(u, "id") : null;
        var userName = payload.TryGetProperty("user", out u) ? SlackEventReader.Str(u, "username") ?? SlackEventReader.Str(u, "name") : null;
        var container = payload.TryGetProperty("container", out var c) ? c : default;
        var message = payload.TryGetProperty("message", out var m) ? m : default;
        var channel = SlackEventReader.Str(container, "channel_id")
            ?? (payload.TryGetProperty("channel", out var ch) ? SlackEventReader.Str(ch, "id") : null);
        var messageTs = SlackEventReader.Str(container, "message_ts") ?? SlackEventReader.Str(message, "ts");
        var threadTs = SlackEventReader.Str(message, "thread_ts") ?? SlackEventReader.Str(container, "thread_ts") ?? messageTs;

        foreach (var action in actions.EnumerateArray())
        {
            var actionId = SlackEventReader.Str(action, "action_id");
            switch (actionId)
            {
                case SlackActionIds.Escalate when user is not null && channel is not null:
                    Tell(channel, user, threadTs, EscalateNotAvailable);
                    break;
                case { } id when IsPipelineAction(id) && user is not null && channel is not null && messageTs is not null:
                    // Feedback and drafts are the pipeline's; each counts once per person and reply
                    // (a second click, or Helpful then Not helpful, is a duplicate delivery).
                    var delivery = $"{channel}:{messageTs}:{user}:{(id is ActionIds.Helpful or ActionIds.NotHelpful ? "feedback" : id)}";
                    await gateway.AcceptAsync(
                        new InboundMessage(delivery, new ConversationRef(SlackEventReader.SurfaceName, channel, threadTs!), user, userName ?? user, string.Empty, time.GetUtcNow(), InboundKind.Action, id, messageTs),
                        cancellationToken);
                    break;
                default:
                    LogUnknown(logger, "block_actions", actionId);
                    break;
            }
        }
    }

    private static bool IsPipelineAction(string id) => id is ActionIds.Helpful or ActionIds.NotHelpful or SlackActionIds.DraftCustomerReply;

    // The acknowledgement must not wait for another Web API round trip.
    private void Tell(string channel, string user, string? threadTs, string text) =>
        _ = Task.Run(async () =>
        {
            try
            {
                await api.PostEphemeralAsync(new SlackPost(channel, text, ThreadTs: threadTs), user, CancellationToken.None);
            }
            catch (Exception ex) when (ex is SlackApiException or HttpRequestException or TaskCanceledException)
            {
                LogEphemeralFailed(logger, ex);
            }
        });

    private static string? Callback(JsonElement payload) =>
        SlackEventReader.Str(payload, "callback_id")
        ?? (payload.TryGetProperty("view", out var view) ? SlackEventReader.Str(view, "callback_id") : null);

    [LoggerMessage(Level = LogLevel.Information, Message = "Slack interaction {Type} ({CallbackId}) acknowledged")]
    private static partial void LogInteraction(ILogger logger, string type, string? callbackId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack: unknown interaction {Type} action {ActionId} acknowledged")]
    private static partial void LogUnknown(ILogger logger, string type, string? actionId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack: could not post an ephemeral notice")]
    private static partial void LogEphemeralFailed(ILogger logger, Exception exception);
}
