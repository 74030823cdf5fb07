using System.Text;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using SupportBot.Core.Answering;
using SupportBot.Core.Languages;
using SupportBot.Llm.Grounding;
using SupportBot.Llm.Prompting;

namespace SupportBot.Llm;

/// <summary>
/// Drafts answers with a chat model, grounded in the retrieved passages. The model's citations are
/// checked; an answer it cannot ground (no valid citation, or its explicit "not in the knowledge base")
/// becomes a plain "I don't know" that names the closest articles. The answer is written in the asker's
/// language (<see cref="AnswerRequest.Language"/>, told by <see cref="AnswerService"/>).
/// </summary>
internal sealed class LlmAnswerDrafter(IChatClient chat, ExtractiveDrafter extractive, IOptions<LlmOptions> options, LanguageDetector? languages = null) : IAnswerDrafter
{
    private static readonly ChatOptions Settings = new() { Temperature = 0.1f, MaxOutputTokens = 600 };

    public bool Streams => true;

    public async Task<Answer> DraftAsync(AnswerRequest request, IReadOnlyList<SearchHit> hits, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (hits.Count == 0)
        {
            return extractive.Draft(hits) with { Provider = options.Value.Provider };
        }

        var messages = GroundedPrompt.ForAnswer(request.Question, request.History, hits, options.Value.MaxPromptTokens, request.Language ?? languages?.TryDetect(request.Question));
        if (request.OnPartial is null)
        {
            var response = await chat.GetResponseAsync(messages, Settings, cancellationToken);
            return Ground(response.Text, hits);
        }

        var text = new StringBuilder();
        await foreach (var update in chat.GetStreamingResponseAsync(messages, Settings, cancellationToken))
        {
            text.Append(update.Text);
            var soFar = text.ToString();
            // The decline marker is an instruction to us, never something to show while it is typed.
            if (!GroundedPrompt.NotInKnowledgeBase.StartsWith(soFar.TrimStart(), StringComparison.Ordinal) &&
                !soFar.Contains(GroundedPrompt.NotInKnowledgeBase, StringComparison.Ordinal))
            {
                await request.OnPartial(GroundedOutput.Sanitize(soFar), cancellationToken);
            }
        }

        return Ground(text.ToString(), hits);
    }

    internal Answer Ground(string output, IReadOnlyList<SearchHit> hits)
    {
        var provider = options.Value.Provider;
        if (output.Contains(GroundedPrompt.NotInKnowledgeBase, StringComparison.Ordinal))
        {
            return ExtractiveDrafter.Decline(hits) with { Provider = provider };
        }

        var grounded = GroundedOutput.Check(output, hits);
        return grounded.Citations.Count == 0
            ? ExtractiveDrafter.Decline(hits) with { Provider = provider }
            : new Answer(grounded.Text, grounded.Citations, Confident: true, provider);
    }
}
