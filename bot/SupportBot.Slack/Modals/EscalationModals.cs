using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using SupportBot.Core.Conversations;
using SupportBot.Core.Escalations;
using SupportBot.Core.Queue;
using SupportBot.Core.Surfaces;
using SupportBot.Slack.Commands;
using SupportBot.Slack.Events;
using SupportBot.Slack.WebApi;

namespace SupportBot.Slack.Modals;

/// <summary>
/// The escalation form on Slack: <c>/escalate [text]</c> and the Escalate button open it (<c>views.open</c>,
/// straight from the request: a <c>trigger_id</c> is good for three seconds only, too short for the queue),
/// and its <c>view_submission</c> is checked while Slack waits, then handed to the pipeline like a button.
/// </summary>
internal sealed partial class EscalationModals(
    SlackApiClient api,
    EscalationForms forms,
    IConversationStore conversations,
    IEscalationStore escalations,
    InboundGateway gateway,
    TimeProvider time,
    ILogger<EscalationModals> logger)
{
    /// <summary>How long opening may take: the trigger expires three seconds after the click or command.</summary>
    public static readonly TimeSpan OpenBudget = TimeSpan.FromMilliseconds(2500);

    /// <summary><c>/escalate [text]</c>: the form, prefilled from the text. Acknowledged silently when it opened.</summary>
    public async Task<SlashCommandResponse> OpenFromCommandAsync(SlashCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (!forms.SetUp)
        {
            return new SlashCommandResponse(EscalationRoutes.NotSetUpText);
        }

        var error = string.IsNullOrEmpty(command.TriggerId) || string.IsNullOrEmpty(command.ChannelId)
            ? "no_trigger_id"
            : await TryOpenAsync(command.TriggerId, forms.Prefill(command.Text, []), new ModalOrigin(command.ChannelId, null), cancellationToken);
        return error is null ? SlashCommandResponse.None : new SlashCommandResponse(CannotOpen(error));
    }

    /// <summary>
    /// The Escalate button under an answer, or the Escalate message shortcut: the form for that thread, prefilled from it. False when it did not
    /// open (the thread is escalated already, or Slack refused): the caller then falls back to the suggestion
    /// in the thread, which also says when the thread is escalated already.
    /// </summary>
    /// <param name="summary">The summary to prefill (a message shortcut's message); else the thread's first question.</param>
    public async Task<bool> TryOpenForThreadAsync(string triggerId, ConversationRef thread, CancellationToken cancellationToken, string? summary = null)
    {
        ArgumentNullException.ThrowIfNull(thread);
        if (!forms.SetUp)
        {
            return false; // the pipeline answers that escalations are not set up
        }

        using var budget = new CancellationTokenSource(OpenBudget, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, budget.Token);
        try
        {
            if (await escalations.FindByThreadAsync(thread, linked.Token) is { Status: not EscalationStatus.Resolved })
            {
                return false;
            }

            var history = await conversations.GetHistoryAsync(thread, linked.Token);
            var prompt = forms.Prefill(new EscalateCommand(null, null, string.IsNullOrWhiteSpace(summary) ? null : summary), history);
            return await TryOpenAsync(triggerId, prompt, new ModalOrigin(thread.Channel, thread.Thread), cancellationToken) is null;
        }
        catch (OperationCanceledException) when (budget.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            LogOpenFailed(logger, "state_timeout");
            return false;
        }
    }

    /// <summary>
    /// A submitted escalation modal: refused with a message under each wrong field (the modal stays open), or
    /// queued for the pipeline and answered with nothing, which closes the modal. The submitter is the requester.
    /// </summary>
    public async Task<JsonObject?> SubmitAsync(JsonElement payload, CancellationToken cancellationToken)
    {
        var view = payload.TryGetProperty("view"u8, out var v) ? v : default;
        var errors = forms.Validate(EscalationModal.Read(view), out var request);
        if (request is null)
        {
            return EscalationModal.Errors(errors);
        }

        var origin = ModalOrigin.FromMetadata(SlackEventReader.Str(view, "private_metadata"u8));
        var user = payload.TryGetProperty("user"u8, out var u) ? u : default;
        var userId = SlackEventReader.Str(user, "id"u8);
        if (origin is null || userId is null)
        {
            LogLostOrigin(logger);
            return EscalationModal.Errors(new Dictionary<EscalationFormField, string>
            {
                [EscalationFormField.Summary] = "This form lost track of where it was opened. Close it and run /escalate again.",
            });
        }

        var surfaceData = new Dictionary<string, string> { [SurfaceKeys.Channel] = origin.Channel };
        if (origin.ThreadTs is not null)
        {
            surfaceData[SurfaceKeys.Ts] = origin.ThreadTs;
        }

        // One escalation per modal: a second click on Submit carries the same view id and is a duplicate.
        var viewId = SlackEventReader.Str(view, "id"u8) ?? Guid.NewGuid().ToString("N");
        await gateway.AcceptAsync(
            new InboundMessage(
                $"view:{viewId}",
                new ConversationRef(SlackEventReader.SurfaceName, origin.Channel, origin.ThreadTs ?? string.Empty),
                userId,
                SlackEventReader.Str(user, "username"u8) ?? SlackEventReader.Str(user, "name"u8) ?? userId,
                request.Summary,
                time.GetUtcNow(),
                InboundKind.Action,
                ActionIds.EscalationSubmit,
                request.Values.PackTarget(),
                surfaceData),
            cancellationToken);
        return null;
    }

    /// <summary>Null when the modal opened; otherwise Slack's error code (or what went wrong on the way).</summary>
    private async Task<string?> TryOpenAsync(string triggerId, EscalationFormPrompt prompt, ModalOrigin origin, CancellationToken cancellationToken)
    {
        using var budget = new CancellationTokenSource(OpenBudget, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, budget.Token);
        string error;
        try
        {
            await api.OpenViewAsync(triggerId, EscalationModal.Build(prompt, origin), linked.Token);
            return null;
        }
        catch (SlackApiException ex)
        {
            error = ex.Error;
        }
        catch (HttpRequestException)
        {
            error = "unreachable";
        }
        catch (OperationCanceledException) when (budget.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            error = "timeout";
        }

        LogOpenFailed(logger, error);
        return error;
    }

    internal static string CannotOpen(string error)
    {
        var why = error switch
        {
            "expired_trigger_id" or "timeout" => "Slack's three seconds to open it ran out",
            "no_trigger_id" => "Slack sent no trigger to open it with",
            _ => $"Slack answered `{error}`",
        };
        return $"I couldn't open the escalation form: {why}. Run `/escalate` again; if it keeps failing, mention me in the " +
            "conversation's thread with `escalate to TEAM [sev1–sev4] [reason]`.";
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack: the escalation form did not open ({Error})")]
    private static partial void LogOpenFailed(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack: an escalation form came back without its origin; the submitter was asked to start again")]
    private static partial void LogLostOrigin(ILogger logger);
}
