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
/// what does not. Passages of articles older than <c>Knowledge:StaleAfter</c> are marked stale.
/// Without curation the search is passed through unchanged.
/// </summary>
internal sealed class CuratedKnowledgeSearch(
    IKnowledgeSearch inner,
    CurationService? curation,
    IOptions<KnowledgeOptions> knowledge,
    IOptions<KnowledgeSearchOptions> options,
    TimeProvider time) : IKnowledgeSearch
{
    /// <summary>Candidates per passage wanted that a boost may reorder.</summary>
    internal const int BoostCandidates = 2;

    /// <summary>How far the search is widened, at most, when hidden articles take up its results.</summary>
    internal const int MaxWidening = 16;

    /// <summary>The search it curates: BM25, or hybrid with an embedding model.</summary>
    internal IKnowledgeSearch Inner => inner;

    public async Task<IReadOnlyList<SearchHit>> SearchAsync(SearchRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var curated = curation is null ? null : await curation.CurrentAsync(cancellationToken);
        if (curated is null || curated.Count == 0)
        {
            return MarkStale(await inner.SearchAsync(request, cancellationToken));
        }

        var wanted = Math.Max(1, request.Top);
        var depth = wanted * BoostCandidates;
        while (true)
        {
            var hits = await inner.SearchAsync(request with { Top = depth }, cancellationToken);
            var kept = Curate(hits, curated, (float)options.Value.BoostedWeight);
            if (kept.Count >= wanted || hits.Count < depth || depth >= wanted * MaxWidening)
            {
                return MarkStale(kept.Take(wanted).ToList());
            }

            depth *= 2;
        }
    }

    /// <summary>Without hidden articles, boosted ones' scores multiplied, best first (ties keep the search's order).</summary>
    internal static List<SearchHit> Curate(IReadOnlyList<SearchHit> hits, IReadOnlyDictionary<string, ArticleCuration> curated, float boostedWeight)
    {
        var kept = new List<SearchHit>(hits.Count);
        foreach (var hit in hits)
        {
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
