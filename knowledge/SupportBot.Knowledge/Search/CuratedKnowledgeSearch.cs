using Microsoft.Extensions.Options;
using SupportBot.Core.Answering;
using SupportBot.Core.Curation;
using SupportBot.Knowledge.Articles;

namespace SupportBot.Knowledge.Search;

/// <summary>
/// Ops leads' curation and the stale flag over any search. Hidden articles' passages are dropped and
/// the search is asked for more until <c>Top</c> others are found (or the index has no more); boosted
/// articles' scores are multiplied by <c>Knowledge:Search:BoostedWeight</c> among the passages the
/// question retrieved (twice the number wanted), so a boost reorders what matches and never brings in
/// what does not. Past threads' passages weigh in the same way, below articles: their scores are multiplied by
/// <c>Knowledge:PastThreads:Weight</c> when one is among the results. Passages of articles older than
/// <c>Knowledge:StaleAfter</c> are marked stale. Without curation or past threads the search is passed through unchanged.
/// </summary>
internal sealed class CuratedKnowledgeSearch(
    IKnowledgeSearch inner,
    CurationService? curation,
    IOptions<KnowledgeOptions> knowledge,
    IOptions<KnowledgeSearchOptions> options,
    TimeProvider time,
    double pastThreadWeight = 1.0) : IKnowledgeSearch
{
    private static readonly Dictionary<string, ArticleCuration> NoCuration = [];

    /// <summary>Candidates per passage wanted that a boost may reorder.</summary>
    internal const int BoostCandidates = 2;

    /// <summary>How far the search is widened, at most, when hidden articles take up its results.</summary>
    internal const int MaxWidening = 16;

    /// <summary>The search it curates: BM25, or hybrid with an embedding model.</summary>
    internal IKnowledgeSearch Inner => inner;

    public async Task<IReadOnlyList<SearchHit>> SearchAsync(SearchRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        IReadOnlyDictionary<string, ArticleCuration>? curated = curation is null ? null : await curation.CurrentAsync(cancellationToken);
        if (curated is null || curated.Count == 0)
        {
            var plain = await inner.SearchAsync(request, cancellationToken);
            if (pastThreadWeight >= 1 || !plain.Any(IsPastThread))
            {
                return MarkStale(plain);
            }

            curated = NoCuration; // a past thread among the results: weigh it against a wider set of articles
        }

        var wanted = Math.Max(1, request.Top);
        var depth = wanted * BoostCandidates;
        while (true)
        {
            var hits = await inner.SearchAsync(request with { Top = depth }, cancellationToken);
            var kept = Curate(hits, curated, (float)options.Value.BoostedWeight, (float)pastThreadWeight);
            if (kept.Count >= wanted || hits.Count < depth || depth >= wanted * MaxWidening)
            {
                return MarkStale(kept.Take(wanted).ToList());
            }

            depth *= 2;
        }
    }

    /// <summary>
    /// Without hidden articles, boosted ones' scores multiplied, past threads' weighed, best first (ties keep the
    /// search's order).
    /// </summary>
    internal static List<SearchHit> Curate(IReadOnlyList<SearchHit> hits, IReadOnlyDictionary<string, ArticleCuration> curated, float boostedWeight, float pastThreadWeight = 1f)
    {
        var kept = new List<SearchHit>(hits.Count);
        foreach (var candidate in hits)
        {
            var hit = IsPastThread(candidate) ? candidate with { Score = candidate.Score * pastThreadWeight } : candidate;
            if (!curated.TryGetValue(hit.ArticleId, out var entry))
            {
                kept.Add(hit);
            }
            else if (entry.State == CurationState.Boosted)
            {
                kept.Add(hit with { Score = hit.Score * boostedWeight });
            }
            else if (entry.State != CurationState.Hidden)
            {
                kept.Add(hit);
            }
        }

        return [.. kept.OrderByDescending(h => h.Score)];
    }

    private static bool IsPastThread(SearchHit hit) => hit.Source == SupportBot.Core.PastThreads.PastThread.SourceName;

    private IReadOnlyList<SearchHit> MarkStale(IReadOnlyList<SearchHit> hits)
    {
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        if (hits.All(h => !ArticleDates.IsStale(h.Updated, knowledge.Value.StaleAfter, today)))
        {
            return hits;
        }

        return [.. hits.Select(h => ArticleDates.IsStale(h.Updated, knowledge.Value.StaleAfter, today) ? h with { Stale = true } : h)];
    }
}
