namespace SupportBot.Knowledge.Evaluation;

/// <summary>
/// One setting tried: a name for the report, the ranking it belongs to (runs that differ only in how confidence
/// is measured share one), and what every query gave under it.
/// </summary>
public sealed record CandidateRun(string Name, IReadOnlyList<QueryOutcome> Outcomes, string? Ranking = null)
{
    public string RankingKey => Ranking ?? Name;
}

/// <summary>One fold: the setting and threshold chosen on the tuning half, scored on both halves.</summary>
public sealed record FoldResult(string Tuned, string Chosen, double MinCoverage, RetrievalScores OnTuned, RetrievalScores OnOther);

/// <summary>
/// Two-fold cross-validation over a dev set: the queries are split in two halves by conversation (so a thread's
/// questions never sit on both sides); settings and the answer threshold are chosen on one half and reported on
/// the other, then the other way round. The gap between the halves (tuned minus other) shows how much of a
/// choice is fitted to the half it was made on.
/// </summary>
public static class CrossValidation
{
    public const string HalfA = "A";
    public const string HalfB = "B";

    /// <summary>Thresholds tried for <c>Answering:MinCoverage</c>: 0.20 to 0.80 in steps of 0.025.</summary>
    public static IReadOnlyList<double> Thresholds { get; } = [.. Enumerable.Range(0, 25).Select(i => Math.Round(0.2 + (i * 0.025), 3))];

    /// <summary>
    /// The half of each query id (<see cref="HalfA"/> or <see cref="HalfB"/>). A conversation is the query id up to
    /// <c>&lt;::&gt;</c> (MTRAG's turn marker) or the whole id. Conversations are ordered by a stable hash within each
    /// answerability label and dealt alternately, so both halves hold about as many of each label.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Split(IEnumerable<(string Id, string? Label)> queries)
    {
        ArgumentNullException.ThrowIfNull(queries);
        var conversations = queries
            .GroupBy(q => ConversationOf(q.Id), StringComparer.Ordinal)
            .Select(g => (Conversation: g.Key, Label: g.Select(q => q.Label).FirstOrDefault(l => l is not null) ?? string.Empty, Ids: g.Select(q => q.Id).ToList()))
            .ToList();
        var halves = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var stratum in conversations.GroupBy(c => c.Label, StringComparer.Ordinal))
        {
            var dealt = 0;
            foreach (var conversation in stratum.OrderBy(c => Hash(c.Conversation)).ThenBy(c => c.Conversation, StringComparer.Ordinal))
            {
                var half = dealt++ % 2 == 0 ? HalfA : HalfB;
                foreach (var id in conversation.Ids)
                {
                    halves[id] = half;
                }
            }
        }

        return halves;
    }

    /// <summary>
    /// Chooses, on each half, the ranking with the best nDCG@10 (ties: the earlier run), then among that ranking's
    /// runs the run and threshold with the best balanced accuracy (the mean of the answered and declined shares; ties: the
    /// earlier run, the lower threshold), and scores the choice on both halves.
    /// </summary>
    public static IReadOnlyList<FoldResult> Run(IReadOnlyList<CandidateRun> runs, IReadOnlyDictionary<string, string> halves, bool labelled)
    {
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(halves);
        if (runs.Count == 0)
        {
            throw new ArgumentException("no runs to choose from", nameof(runs));
        }

        var folds = new List<FoldResult>(2);
        foreach (var tuned in new[] { HalfA, HalfB })
        {
            var (chosen, threshold) = Choose(runs, id => halves.TryGetValue(id, out var h) && h == tuned, labelled);
            double? applied = labelled ? threshold : null;
            folds.Add(new FoldResult(
                tuned,
                chosen.Name,
                threshold,
                RetrievalEvaluation.Score([.. chosen.Outcomes.Where(o => halves.TryGetValue(o.Id, out var h) && h == tuned)], labelled, applied),
                RetrievalEvaluation.Score([.. chosen.Outcomes.Where(o => halves.TryGetValue(o.Id, out var h) && h != tuned)], labelled, applied)));
        }

        return folds;
    }

    /// <summary>
    /// The same choice made on the queries <paramref name="include"/> selects (one half, or all of them for the
    /// defaults): the ranking with the best nDCG@10, then that ranking's run and threshold with the best balanced accuracy.
    /// </summary>
    public static (CandidateRun Run, double MinCoverage) Choose(IReadOnlyList<CandidateRun> runs, Func<string, bool> include, bool labelled)
    {
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(include);
        List<QueryOutcome> Tuning(CandidateRun run) => [.. run.Outcomes.Where(o => include(o.Id))];

        var ranking = runs[0];
        var best = double.NegativeInfinity;
        foreach (var run in runs)
        {
            var ndcg = RetrievalEvaluation.Score(Tuning(run), labelled).NdcgAt10;
            if (ndcg > best + 1e-12)
            {
                (best, ranking) = (ndcg, run);
            }
        }

        var chosen = ranking;
        var threshold = double.NaN;
        if (labelled)
        {
            var bestRight = double.NegativeInfinity;
            foreach (var run in runs.Where(r => r.RankingKey == ranking.RankingKey))
            {
                var tuning = Tuning(run);
                var candidate = ChooseThreshold(tuning);
                var right = RightDecisions(tuning, candidate);
                if (right > bestRight + 1e-12)
                {
                    (bestRight, chosen, threshold) = (right, run, candidate);
                }
            }
        }

        return (chosen, threshold);
    }

    /// <summary>The threshold with the best balanced accuracy on <paramref name="outcomes"/>; ties go to the lower one.</summary>
    public static double ChooseThreshold(IReadOnlyList<QueryOutcome> outcomes)
    {
        var best = Thresholds[0];
        var bestScore = double.NegativeInfinity;
        foreach (var threshold in Thresholds)
        {
            var right = RightDecisions(outcomes, threshold);
            if (right > bestScore + 1e-12)
            {
                (bestScore, best) = (right, threshold);
            }
        }

        return best;
    }

    /// <summary>
    /// Balanced accuracy: the mean of the answered and declined shares. (Plain accuracy, which lets the many answerable
    /// questions outvote the few unanswerable ones, was tried too and chose thresholds that declined half as often on
    /// the unseen half: docs/quality.md.)
    /// </summary>
    private static double RightDecisions(IReadOnlyList<QueryOutcome> outcomes, double threshold)
    {
        var scores = RetrievalEvaluation.Score(outcomes, labelled: true, threshold);
        return ((scores.AnsweredAnswerable ?? 0) + (scores.DeclinedUnanswerable ?? 0)) / 2;
    }

    internal static string ConversationOf(string id)
    {
        var marker = id.IndexOf("<::>", StringComparison.Ordinal);
        return marker < 0 ? id : id[..marker];
    }

    /// <summary>FNV-1a: the same order in every process and version.</summary>
    private static uint Hash(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return hash;
    }
}
