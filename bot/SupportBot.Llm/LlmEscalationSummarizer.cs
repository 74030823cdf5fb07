using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SupportBot.Core.Conversations;
using SupportBot.Core.Escalations;
using SupportBot.Llm.Grounding;
using SupportBot.Llm.Prompting;

namespace SupportBot.Llm;

/// <summary>
/// Escalation summaries written by the model as structured output (problem, tried, case, ask) and
/// checked before use; the offline heuristic summary when the model fails, times out or returns
/// something unusable, so an escalation never waits on the model.
/// </summary>
internal sealed partial class LlmEscalationSummarizer(
    IChatClient chat,
    IOptions<LlmOptions> options,
    ILogger<LlmEscalationSummarizer> logger) : IEscalationSummarizer
{
    private static readonly ChatOptions Settings = new() { Temperature = 0.1f, MaxOutputTokens = 500 };

    public async Task<EscalationSummary> SummarizeAsync(IReadOnlyList<ConversationTurn> thread, string? reason, string? caseId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(thread);
        try
        {
            var messages = EscalationSummaryPrompt.For(thread, reason, caseId, options.Value.MaxPromptTokens);
            var response = await chat.GetResponseAsync<ModelSummary>(messages, SummaryJson.Default.Options, Settings, cancellationToken: cancellationToken);

            // Structured output first; a reply that wraps the JSON in prose or a fence is still read.
            var parsed = response.TryGetResult(out var result) ? result : SummaryOutput.Parse(response.Text);
            if (SummaryOutput.Check(parsed, thread, caseId) is { } summary)
            {
                return summary;
            }

            LogUnusable(logger);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            LogFallback(logger, ex.GetType().Name);
        }

        return HeuristicEscalationSummarizer.Summarize(thread, reason, caseId);
    }

    // The exception type only: provider messages can echo request details.
    [LoggerMessage(Level = LogLevel.Warning, Message = "The model failed ({Error}) summarizing an escalation; used the heuristic summary instead")]
    private static partial void LogFallback(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The model's escalation summary was not usable (not JSON, or a part missing); used the heuristic summary instead")]
    private static partial void LogUnusable(ILogger logger);
}
