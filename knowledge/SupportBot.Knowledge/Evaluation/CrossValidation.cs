namespace SupportBot.Knowledge.Evaluation;

/// <summary>One setting tried: a name for the report, and what every query gave under it.</summary>
public sealed record CandidateRun(string Name, IReadOnlyList<QueryOutcome> Outcomes);

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

    /// <summary>Thresholds tried for <c>Answering:MinCoverage</c>: 0.20 to 0.60 in steps of 0.025.</summary>
    public static IReadOnlyList<double> Thresholds { get; } = [.. Enumerable.Range(0, 17).Select(i => Math.Round(0.2 + (i * 0.025), 3))];

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
    /// Chooses, on each half, the run with the best nDCG@10 (ties: the earlier run) and then the threshold with
    /// the best balanced accuracy (the mean of answered and declined shares; ties: the lower threshold), and
    /// scores both on both halves.
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
            List<QueryOutcome> Half(CandidateRun run, bool tuning) =>
                [.. run.Outcomes.Where(o => halves.TryGetValue(o.Id, out var h) && (h == tuned) == tuning)];

            var chosen = runs[0];
            var best = double.NegativeInfinity;
            foreach (var run in runs)
            {
                var ndcg = RetrievalEvaluation.Score(Half(run, tuning: true), labelled).NdcgAt10;
                if (ndcg > best + 1e-12)
                {
                    (best, chosen) = (ndcg, run);
                }
            }

            var threshold = labelled ? ChooseThreshold(Half(chosen, tuning: true)) : double.NaN;
            double? applied = labelled ? threshold : null;
            folds.Add(new FoldResult(
                tuned,
                chosen.Name,
                threshold,
                RetrievalEvaluation.Score(Half(chosen, tuning: true), labelled, applied),
                RetrievalEvaluation.Score(Half(chosen, tuning: false), labelled, applied)));
        }

        return folds;
    }

    /// <summary>The threshold with the best balanced accuracy on <paramref name="outcomes"/>; ties go to the lower one.</summary>
    public static double ChooseThreshold(IReadOnlyList<QueryOutcome> outcomes)
    {
        var best = Thresholds[0];
        var bestScore = double.NegativeInfinity;
        foreach (var threshold in Thresholds)
        {
            var scores = RetrievalEvaluation.Score(outcomes, labelled: true, threshold);
            var balanced = ((scores.AnsweredAnswerable ?? 0) + (scores.DeclinedUnanswerable ?? 0)) / 2;
            if (balanced > bestScore + 1e-12)
            {
                (bestScore, best) = (balanced, threshold);
            }
        }

        return best;
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
