using System.Text;
using Microsoft.Extensions.Options;

namespace SupportBot.Core.Answering;

/// <summary>
/// The offline drafter: stitches the best-matching sentences of the strongest passages into a short
/// answer with <c>[n]</c> markers. No model, no network, deterministic.
/// </summary>
public sealed class ExtractiveDrafter(IOptions<AnsweringOptions> options) : IAnswerDrafter
{
    public const string ProviderName = "extractive";

    private const int MaxSources = 3;
    private const int MaxSentencesFirstSource = 3;
    private const int MaxSentencesOtherSources = 2;

    private static readonly Answer NothingFound = new(
        "I couldn't find anything about this in the knowledge base. If the case needs an answer, consider escalating it to the owning team.",
        [],
        Confident: false,
        ProviderName);

    public Task<Answer> DraftAsync(AnswerRequest request, IReadOnlyList<SearchHit> hits, CancellationToken cancellationToken)
        => Task.FromResult(Draft(hits));

    public Answer Draft(IReadOnlyList<SearchHit> hits)
    {
        if (hits.Count == 0)
        {
            return NothingFound;
        }

        var best = hits[0];
        if (best.Coverage < options.Value.MinCoverage)
        {
            return Decline(hits);
        }

        // Sources that are nearly as relevant as the best one, one passage per article.
        var sources = hits
            .Where(h => h.Coverage >= best.Coverage * 0.6 && h.Score >= best.Score * 0.5)
            .DistinctBy(h => h.ArticleId)
            .Take(MaxSources)
            .ToList();

        var text = new StringBuilder();
        var citations = new List<Citation>(sources.Count);
        foreach (var hit in sources)
        {
            var sentences = hit.KeySentences.Count > 0 ? hit.KeySentences : [FirstSentences(hit.Text)];
            var take = citations.Count == 0 ? MaxSentencesFirstSource : MaxSentencesOtherSources;
            var n = citations.Count + 1;
            if (text.Length > 0)
            {
                text.Append("\n\n");
            }

            text.AppendJoin(' ', sentences.Take(take)).Append(" [").Append(n).Append(']');
            citations.Add(Citation.Of(n, hit));
        }

        return new Answer(text.ToString(), citations, Confident: true, ProviderName);
    }

    /// <summary>The plain "I don't know" answer, naming the closest articles found.</summary>
    public static Answer Decline(IReadOnlyList<SearchHit> hits)
    {
        ArgumentNullException.ThrowIfNull(hits);
        if (hits.Count == 0)
        {
            return NothingFound;
        }

        var closest = hits.DistinctBy(h => h.ArticleId).Take(2).ToList();
        var citations = closest.Select((h, i) => Citation.Of(i + 1, h)).ToList();
        var names = string.Join(" and ", citations.Select(c => $"\"{c.Title}\" [{c.N}]"));
        var text =
            "I don't know — the knowledge base doesn't clearly answer this. " +
            $"The closest articles I found are {names}; check them before relying on them, " +
            "or escalate the case to the owning team.";
        return new Answer(text, citations, Confident: false, ExtractiveDrafter.ProviderName);
    }

    private static string FirstSentences(string text) => text.Length <= 300 ? text : string.Concat(text.AsSpan(0, 297), "...");
}
