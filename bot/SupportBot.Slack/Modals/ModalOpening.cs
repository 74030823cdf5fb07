using System.Text.Json.Nodes;
using SupportBot.Slack.WebApi;

namespace SupportBot.Slack.Modals;

/// <summary>Opening a modal from an interaction: a <c>trigger_id</c> lasts three seconds, so the whole attempt gets <see cref="EscalationModals.OpenBudget"/>.</summary>
internal static class ModalOpening
{
    /// <summary>Builds and opens the view within the budget; null when it opened, else what stopped it (for the caller to log).</summary>
    public static async Task<Exception?> OpenWithinBudgetAsync(
        SlackApiClient api, string triggerId, Func<CancellationToken, Task<JsonObject>> view, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(view);
        using var budget = new CancellationTokenSource(EscalationModals.OpenBudget, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, budget.Token);
        try
        {
            await api.OpenViewAsync(triggerId, await view(linked.Token), linked.Token);
            return null;
        }
        catch (Exception ex) when (ex is SlackApiException or HttpRequestException || (ex is OperationCanceledException && budget.IsCancellationRequested && !cancellationToken.IsCancellationRequested))
        {
            return ex;
        }
    }
}
