using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using SupportBot.Core.Conversations;
using SupportBot.Core.Escalations;
using SupportBot.Core.Queue;
using SupportBot.Core.Redaction;
using SupportBot.Core.Surfaces;
using SupportBot.Slack.BlockKit;
using SupportBot.Slack.Commands;
using SupportBot.Slack.Events;
using SupportBot.Slack.Modals;
using SupportBot.Slack.Workspaces;

namespace SupportBot.Slack.Interactions;

/// <summary>
/// Interactivity payloads (buttons, modals, shortcuts), the same for HTTP and Socket Mode. Escalate opens
/// the escalation form, whose submission is checked here; feedback, Draft customer reply, the escalation
/// buttons (confirm, acknowledge, resolve, reassign), Escalate when the form cannot open, and valid forms
/// become <see cref="InboundKind.Action"/> messages for the pipeline; the message shortcuts
/// (<see cref="MessageShortcuts"/>) ask about a message or escalate its thread; everything else is
/// acknowledged and logged.
/// </summary>
internal sealed partial class SlackInteractionHandler(
    InboundGateway gateway,
    EscalationModals escalationForm,
    FeedbackModal feedbackForm,
    RatingCommentModal ratingComment,
    CurationModal curationForm,
    SlackBotIdentity identity,
    SlackResponseUrl responses,
    SlackWorkspaceGate workspaces,
    TimeProvider time,
    ILogger<SlackInteractionHandler> logger)
{
    /// <summary>The body to answer with (a <c>response_action</c>), or null for an empty 200.</summary>
    public async Task<JsonObject?> HandleAsync(JsonElement payload, CancellationToken cancellationToken)
    {
        var type = SlackEventReader.Str(payload, "type"u8);
        var user = payload.TryGetProperty("user"u8, out var u) ? u : default;
        var check = await workspaces.CheckAsync(
            type ?? "interaction",
            // Org-wide installs may send "team": null; the user's own team then names the workspace.
            (payload.TryGetProperty("team"u8, out var team) ? SlackEventReader.Str(team, "id"u8) : null) ?? SlackEventReader.Str(user, "team_id"u8),
            payload.TryGetProperty("enterprise"u8, out var enterprise) ? SlackEventReader.Str(enterprise, "id"u8) : null,
            SlackEventReader.Str(user, "team_id"u8),
            cancellationToken);
        if (check != WorkspaceCheck.Allowed)
        {
            return null; // Acknowledged, nothing done: a foreign workspace learns nothing, and Slack does not retry.
        }

        switch (type)
        {
            case "block_actions":
                await HandleBlockActionsAsync(payload, cancellationToken);
                return null;
            case "view_submission" when Callback(payload) == EscalationModal.CallbackId:
                return await escalationForm.SubmitAsync(payload, cancellationToken);
            case "view_submission" when Callback(payload) == FeedbackModal.CallbackId:
                return await feedbackForm.SubmitAsync(payload, cancellationToken);
            case "view_submission" when Callback(payload) == RatingCommentModal.CallbackId:
                return await ratingComment.SubmitAsync(payload, cancellationToken);
            case "view_submission" when Callback(payload) == CurationModal.CallbackId:
                return await curationForm.SubmitAsync(payload, cancellationToken);
            case "message_action":
                await HandleMessageShortcutAsync(payload, cancellationToken);
                return null;
            case "view_submission" or "view_closed" or "shortcut":
                var callbackId = Callback(payload);
                LogInteraction(logger, type, callbackId);
                return null;
            default:
                LogUnknown(logger, type ?? "(none)", null);
                return null;
        }
    }

    private async Task HandleBlockActionsAsync(JsonElement payload, CancellationToken cancellationToken)
    {
        if (!payload.TryGetProperty("actions"u8, out var actions) || actions.ValueKind != JsonValueKind.Array)
        {
            return;
        }

        var user = payload.TryGetProperty("user"u8, out var u) ? SlackEventReader.Str(u, "id"u8) : null;
        var userName = payload.TryGetProperty("user"u8, out u) ? SlackEventReader.Str(u, "username"u8) ?? SlackEventReader.Str(u, "name"u8) : null;
        var container = payload.TryGetProperty("container"u8, out var c) ? c : default;
        var message = payload.TryGetProperty("message"u8, out var m) ? m : default;
        var channel = SlackEventReader.Str(container, "channel_id"u8)
            ?? (payload.TryGetProperty("channel"u8, out var ch) ? SlackEventReader.Str(ch, "id"u8) : null);
        var messageTs = SlackEventReader.Str(container, "message_ts"u8) ?? SlackEventReader.Str(message, "ts"u8);
        var threadTs = SlackEventReader.Str(message, "thread_ts"u8) ?? SlackEventReader.Str(container, "thread_ts"u8) ?? messageTs;
        var triggerId = SlackEventReader.Str(payload, "trigger_id"u8);

        foreach (var action in actions.EnumerateArray())
        {
            var actionId = SlackEventReader.Str(action, "action_id"u8);
            var value = SlackEventReader.Str(action, "value"u8);
            if (actionId == SlackReplyRenderer.FeedbackButtonsActionId && SlackReplyRenderer.TryReadFeedback(value, out var feedbackId, out var answerId))
            {
                // Slack's feedback_buttons under a streamed answer: the pressed button's value names the vote and the
                // answer, so it counts exactly as the Helpful / Not helpful buttons do.
                (actionId, value) = (feedbackId, answerId ?? feedbackId);
            }

            if (actionId == ActionIds.Escalate && triggerId is not null && channel is not null && threadTs is not null
                && await escalationForm.TryOpenForThreadAsync(triggerId, new ConversationRef(SlackEventReader.SurfaceName, channel, threadTs), cancellationToken))
            {
                continue; // The form is open; its submission starts the escalation.
            }

            switch (actionId)
            {
                case { } id when IsPipelineAction(id) && user is not null && channel is not null && messageTs is not null:
                    // Each button counts once per person and reply (a second click, or Helpful then
                    // Not helpful, is a duplicate delivery). The button's value says what it acts on.
                    var delivery = $"{channel}:{messageTs}:{user}:{(id is ActionIds.Helpful or ActionIds.NotHelpful ? "feedback" : id)}";
                    var target = value is not null && value != id ? value : messageTs;
                    if (id == ActionIds.NotHelpful && triggerId is not null && value is not null && value != id)
                    {
                        // Ask why while the trigger is fresh; the vote below counts whether or not a reason follows.
                        await feedbackForm.TryOpenAsync(triggerId, value, new ConversationRef(SlackEventReader.SurfaceName, channel, threadTs!), cancellationToken);
                    }
                    else if (ActionIds.IsEscalationRating(id) && triggerId is not null && EscalationActionSigner.PayloadOf(value) is { } escalationId)
                    {
                        // Offer a comment while the trigger is fresh; the rating below counts either way.
                        await ratingComment.TryOpenAsync(triggerId, escalationId, new ConversationRef(SlackEventReader.SurfaceName, channel, threadTs!), cancellationToken);
                    }

                    await gateway.AcceptAsync(
                        new InboundMessage(
                            delivery,
                            new ConversationRef(SlackEventReader.SurfaceName, channel, threadTs!),
                            user,
                            userName ?? user,
                            string.Empty,
                            time.GetUtcNow(),
                            InboundKind.Action,
                            id,
                            target,
                            new Dictionary<string, string> { [SurfaceKeys.Ts] = messageTs }),
                        cancellationToken);
                    break;
                default:
                    LogUnknown(logger, "block_actions", actionId);
                    break;
            }
        }
    }

    private const string NoTextToAnswer = "That message has no text for me to answer.";

    /// <summary>
    /// A message shortcut: Ask SupportBot queues the message's text as a question in its thread; Escalate to a
    /// team opens the escalation form for that thread (or, when it cannot open, asks in the thread as the
    /// Escalate button does); Save to knowledge queues the thread's keeping. The person who chose the shortcut is the asker.
    /// </summary>
    private async Task HandleMessageShortcutAsync(JsonElement payload, CancellationToken cancellationToken)
    {
        var callbackId = SlackEventReader.Str(payload, "callback_id"u8);
        var user = payload.TryGetProperty("user"u8, out var u) ? SlackEventReader.Str(u, "id"u8) : null;
        var channel = payload.TryGetProperty("channel"u8, out var ch) ? SlackEventReader.Str(ch, "id"u8) : null;
        var message = payload.TryGetProperty("message"u8, out var m) ? m : default;
        var messageTs = SlackEventReader.Str(payload, "message_ts"u8) ?? SlackEventReader.Str(message, "ts"u8);
        var triggerId = SlackEventReader.Str(payload, "trigger_id"u8);
        if (callbackId is not (MessageShortcuts.Ask or MessageShortcuts.Escalate or MessageShortcuts.Curate or MessageShortcuts.SaveThread) || user is null || channel is null || messageTs is null || triggerId is null)
        {
            LogUnknown(logger, "message_action", callbackId);
            return;
        }

        if (callbackId == MessageShortcuts.Curate)
        {
            if (await curationForm.TryOpenAsync(triggerId, message, user, channel, cancellationToken) is { } refusal
                && SlackEventReader.Str(payload, "response_url"u8) is { } curateUrl)
            {
                responses.PostInBackground(curateUrl, Task.FromResult(new SlashCommandResponse(refusal)), ex => LogNoteFailed(logger, ex));
            }

            return;
        }

        var userName = SlackEventReader.Str(u, "username"u8) ?? SlackEventReader.Str(u, "name"u8) ?? user;
        var thread = new ConversationRef(SlackEventReader.SurfaceName, channel, SlackEventReader.Str(message, "thread_ts"u8) ?? messageTs);
        var text = SlackEventReader.StripMention(SlackEventReader.Str(message, "text"u8) ?? string.Empty, identity.Current?.UserId);
        var surfaceData = SurfaceKeys.Of(messageTs, channel, payload.TryGetProperty("team"u8, out var team) ? SlackEventReader.Str(team, "id"u8) : null);

        // A trigger id is new for every use of a shortcut: choosing it again asks again.
        var delivery = $"shortcut:{triggerId}";
        if (callbackId == MessageShortcuts.SaveThread)
        {
            await gateway.AcceptAsync(
                new InboundMessage(delivery, thread, user, userName, text, time.GetUtcNow(), InboundKind.Action, ActionIds.SaveThread, messageTs, surfaceData),
                cancellationToken);
            return;
        }

        if (callbackId == MessageShortcuts.Escalate)
        {
            if (!await escalationForm.TryOpenForThreadAsync(triggerId, thread, cancellationToken, SensitiveDataRedactor.Redact(text)))
            {
                await gateway.AcceptAsync(
                    new InboundMessage(delivery, thread, user, userName, string.Empty, time.GetUtcNow(), InboundKind.Action, ActionIds.Escalate, messageTs, surfaceData),
                    cancellationToken);
            }

            return;
        }

        if (text.Length == 0)
        {
            if (SlackEventReader.Str(payload, "response_url"u8) is { } responseUrl)
            {
                responses.PostInBackground(responseUrl, Task.FromResult(new SlashCommandResponse(NoTextToAnswer)), ex => LogNoteFailed(logger, ex));
            }

            return;
        }

        await gateway.AcceptAsync(new InboundMessage(delivery, thread, user, userName, text, time.GetUtcNow(), SurfaceData: surfaceData), cancellationToken);
    }

    private static bool IsPipelineAction(string id) => ActionIds.IsEscalationRating(id) || id is ActionIds.Helpful or ActionIds.NotHelpful or ActionIds.DraftReply or ActionIds.Share
        or ActionIds.Escalate or ActionIds.EscalationConfirm or ActionIds.EscalationAcknowledge or ActionIds.EscalationResolve or ActionIds.EscalationReassign or ActionIds.EscalationTake or ActionIds.EscalationSaveArticle;

    private static string? Callback(JsonElement payload) =>
        SlackEventReader.Str(payload, "callback_id"u8)
        ?? (payload.TryGetProperty("view"u8, out var view) ? SlackEventReader.Str(view, "callback_id"u8) : null);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack: could not post a note to an interaction's response_url")]
    private static partial void LogNoteFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Slack interaction {Type} ({CallbackId}) acknowledged")]
    private static partial void LogInteraction(ILogger logger, string type, string? callbackId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack: unknown interaction {Type} action {ActionId} acknowledged")]
    private static partial void LogUnknown(ILogger logger, string type, string? actionId);
}
