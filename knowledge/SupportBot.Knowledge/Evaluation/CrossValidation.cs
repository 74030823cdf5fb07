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

    /// <summary>
    /// The share of unanswerable questions a threshold must decline on the tuning queries: the goal (0.65) with a
    /// margin of one question in twenty, the share the BM25 defaults already declined (docs/quality.md).
    /// </summary>
    public const double DeclineFloor = 0.70;

    /// <summary>Thresholds tried for <c>Answering:MinCoverage</c>: 0.20 to 0.80 in steps of 0.0125.</summary>
    public static IReadOnlyList<double> Thresholds { get; } = [.. Enumerable.Range(0, 49).Select(i => Math.Round(0.2 + (i * 0.0125), 4))];

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
    /// Chooses on each half as <see cref="Choose"/> does (ranking by nDCG@10, then the run and threshold answering most
    /// while declining at least <see cref="DeclineFloor"/>; ties: the earlier run, the lower threshold), and scores the
    /// choice on both halves.
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
    /// defaults): the ranking with the best nDCG@10, then that ranking's run and threshold that answer the most
    /// answerable questions while declining at least <see cref="DeclineFloor"/> of the unanswerable ones (<see cref="Decisions"/>).
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
            var bestDecisions = (Floor: false, Answered: double.NegativeInfinity, Declined: double.NegativeInfinity);
            foreach (var run in runs.Where(r => r.RankingKey == ranking.RankingKey))
            {
                var tuning = Tuning(run);
                var candidate = ChooseThreshold(tuning);
                var decisions = Decisions(tuning, candidate);
                if (Better(decisions, bestDecisions))
                {
                    (bestDecisions, chosen, threshold) = (decisions, run, candidate);
                }
            }
        }

        return (chosen, threshold);
    }

    /// <summary>
    /// The threshold of <see cref="Thresholds"/> that answers the most answerable questions of <paramref name="outcomes"/>
    /// while declining at least <see cref="DeclineFloor"/> of the unanswerable ones; with equal answered shares, the one
    /// declining more, then the lower. When no threshold declines enough, the one declining most.
    /// </summary>
    public static double ChooseThreshold(IReadOnlyList<QueryOutcome> outcomes)
    {
        var best = Thresholds[0];
        var bestDecisions = (Floor: false, Answered: double.NegativeInfinity, Declined: double.NegativeInfinity);
        foreach (var threshold in Thresholds)
        {
            var decisions = Decisions(outcomes, threshold);
            if (Better(decisions, bestDecisions))
            {
                (bestDecisions, best) = (decisions, threshold);
            }
        }

        return best;
    }

    /// <summary>
    /// Whether the floor is met, the answered share and the declined share at <paramref name="threshold"/>. The floor is
    /// the product's requirement (decline most unanswerable questions) with a margin; balanced accuracy, tried first,
    /// weighs each of the few unanswerable questions four times an answerable one and declined answerable ones for it.
    /// </summary>
    private static (bool Floor, double Answered, double Declined) Decisions(IReadOnlyList<QueryOutcome> outcomes, double threshold)
    {
        var scores = RetrievalEvaluation.Score(outcomes, labelled: true, threshold);
        var declined = scores.DeclinedUnanswerable ?? 0;
        return (declined >= DeclineFloor - 1e-9, scores.AnsweredAnswerable ?? 0, declined);
    }

    private static bool Better((bool Floor, double Answered, double Declined) x, (bool Floor, double Answered, double Declined) y)
    {
        if (x.Floor != y.Floor)
        {
            return x.Floor;
        }

        // Below the floor everywhere: decline as many as possible.
        var (first, second) = x.Floor ? (x.Answered - y.Answered, x.Declined - y.Declined) : (x.Declined - y.Declined, x.Answered - y.Answered);
        return first > 1e-12 || (Math.Abs(first) <= 1e-12 && second > 1e-12);
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
