using SupportBot.Core.Conversations;

namespace SupportBot.Core.Escalations;

/// <summary>
/// Writes the summary that opens an escalation in the owning team's thread. The offline
/// <see cref="HeuristicEscalationSummarizer"/> is the default; a deployment with a model configured
/// has the model write it (and falls back to the heuristic when the model cannot).
/// </summary>
public interface IEscalationSummarizer
{
    /// <param name="thread">The agent's thread so far (already masked), oldest first.</param>
    /// <param name="reason">What the agent typed after "escalate", if anything.</param>
    /// <param name="caseId">A case the agent named explicitly, if any.</param>
    Task<EscalationSummary> SummarizeAsync(IReadOnlyList<ConversationTurn> thread, string? reason, string? caseId, CancellationToken cancellationToken);
}
