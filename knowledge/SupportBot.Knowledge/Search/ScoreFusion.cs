namespace SupportBot.Knowledge.Search;

/// <summary>
/// Weighted fusion of normalised scores: each ranking's scores are scaled to [0, 1] over its own candidates
/// (min-max), a document missing from a ranking scores 0 there, and the fused score is the weighted sum.
/// Unlike <see cref="ReciprocalRankFusion"/> it keeps how far apart the candidates are, not only their order.
/// </summary>
internal static class ScoreFusion
{
    /// <summary>Fuses <paramref name="rankings"/> (document and score, best first), best first; ties go to the earlier ranking's order, then the lower document.</summary>
    public static List<(int Doc, float Score)> Fuse(IReadOnlyList<IReadOnlyList<(int Doc, float Score)>> rankings, IReadOnlyList<double> weights)
    {
        ArgumentNullException.ThrowIfNull(rankings);
        ArgumentNullException.ThrowIfNull(weights);
        if (weights.Count != rankings.Count)
        {
            throw new ArgumentException("one weight per ranking", nameof(weights));
        }

        var fused = new Dictionary<int, (double Score, int FirstRank)>();
        for (var list = 0; list < rankings.Count; list++)
        {
            var ranking = rankings[list];
            if (ranking.Count == 0)
            {
                continue;
            }

            var max = ranking.Max(r => r.Score);
            var min = ranking.Min(r => r.Score);
            var range = max - min;
            var seen = new HashSet<int>();
            for (var i = 0; i < ranking.Count; i++)
            {
                var (doc, score) = ranking[i];
                if (!seen.Add(doc))
                {
                    continue; // Listed twice in one ranking: its better score counts.
                }

                // A single candidate, or all equal: each is as good as the best.
                var normalised = range > 0 ? (score - min) / range : 1.0;
                var entry = fused.GetValueOrDefault(doc, (0, int.MaxValue));
                fused[doc] = (entry.Score + (weights[list] * normalised), list == 0 ? i : entry.FirstRank);
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

            var byRank = x.Value.FirstRank.CompareTo(y.Value.FirstRank);
            return byRank != 0 ? byRank : x.Key.CompareTo(y.Key);
        });
        return ordered.ConvertAll(e => (e.Key, (float)e.Value.Score));
    }
}
