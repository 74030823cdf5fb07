using Microsoft.Extensions.Logging;
using SupportBot.Core.Answering;

namespace SupportBot.Llm;

/// <summary>
/// Wraps the model drafter: when the model fails or times out, the offline extractive answer is used
/// instead and reported (<see cref="Answer.Fallback"/>), so an agent always gets an answer.
/// </summary>
internal sealed partial class FallbackAnswerDrafter(IAnswerDrafter primary, ExtractiveDrafter fallback, ILogger<FallbackAnswerDrafter> logger) : IAnswerDrafter
{
    public bool Streams => primary.Streams;

    public async Task<Answer> DraftAsync(AnswerRequest request, IReadOnlyList<SearchHit> hits, CancellationToken cancellationToken)
    {
        try
        {
            return await primary.DraftAsync(request, hits, cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            LogFallback(logger, ex.GetType().Name);
            return fallback.Draft(hits) with { Fallback = true };
        }
    }

    // The exception type only: provider messages can echo request details.
    [LoggerMessage(Level = LogLevel.Warning, Message = "The model failed ({Error}); answered with the extractive drafter instead")]
    private static partial void LogFallback(ILogger logger, string error);
}
