namespace SupportBot.Knowledge.Search;

/// <summary>
/// Reciprocal rank fusion (Cormack, Clarke and Büttcher, SIGIR 2009): a document's fused score is
/// Σ 1 / (k + rank) over the rankings it appears in, rank counted from 1. Only ranks matter, so BM25
/// scores and cosines need no calibration against each other; k = 60 keeps a single list's top from
/// outweighing agreement between lists. Weighted (each ranking's terms multiplied by its weight), one list can
/// count more than another; the weight is chosen by cross-validation (docs/quality.md).
/// </summary>
internal static class ReciprocalRankFusion
{
    public const int K = 60;

    /// <summary>
    /// Fuses <paramref name="rankings"/> (documents, best first) into one ranking, best first. Equal
    /// scores go to the document ranked better by the earlier ranking (the lexical one, whose evidence
    /// the answer's coverage measures), then by the later ones, then to the lower document. Without
    /// <paramref name="weights"/> every ranking weighs 1; a ranking of weight 0 only breaks ties.
    /// </summary>
    public static List<(int Doc, float Score)> Fuse(IReadOnlyList<IReadOnlyList<int>> rankings, int k = K, IReadOnlyList<double>? weights = null)
    {
        ArgumentNullException.ThrowIfNull(rankings);
        if (weights is not null && weights.Count != rankings.Count)
        {
            throw new ArgumentException("one weight per ranking", nameof(weights));
        }

        var fused = new Dictionary<int, (double Score, int[] Ranks)>();
        for (var list = 0; list < rankings.Count; list++)
        {
            var ranking = rankings[list];
            for (var i = 0; i < ranking.Count; i++)
            {
                var doc = ranking[i];
                if (!fused.TryGetValue(doc, out var entry))
                {
                    entry = (0, Enumerable.Repeat(int.MaxValue, rankings.Count).ToArray());
                }

                if (entry.Ranks[list] != int.MaxValue)
                {
                    continue; // Listed twice in one ranking: its better rank counts.
                }

                entry.Ranks[list] = i + 1;
                fused[doc] = (entry.Score + ((weights?[list] ?? 1.0) / (k + i + 1)), entry.Ranks);
            }
        }

        var ordered = fused.ToList();
        ordered.Sort((x, y) =>
        {
            var byScore = y.Value.Score.CompareTo(x.Value.Score);
            if (byScore != 0)
            {
                return byScore;
            }

            for (var list = 0; list < rankings.Count; list++)
            {
                var byRank = x.Value.Ranks[list].CompareTo(y.Value.Ranks[list]);
                if (byRank != 0)
                {
                    return byRank;
                }
            }

            return x.Key.CompareTo(y.Key);
        });
        return ordered.ConvertAll(e => (e.Key, (float)e.Value.Score));
    }
}
