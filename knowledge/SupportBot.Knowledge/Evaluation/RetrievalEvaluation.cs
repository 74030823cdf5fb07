using SupportBot.Core.Answering;
using SupportBot.Core.Conversations;

namespace SupportBot.Knowledge.Evaluation;

/// <summary>Averages of one group of queries (all, or one domain).</summary>
/// <param name="DeclinedUnanswerable">Share of UNANSWERABLE questions the bot declined; null without answer labels.</param>
/// <param name="AnsweredAnswerable">Share of ANSWERABLE questions the bot answered confidently; null without answer labels.</param>
public sealed record RetrievalScores(
    int Queries,
    double RecallAt5,
    double RecallAt10,
    double MrrAt10,
    double NdcgAt10,
    double? DeclinedUnanswerable,
    double? AnsweredAnswerable);

/// <summary>The outcome of an evaluation: overall, per domain (when the answer labels name one), latency, and each query's outcome.</summary>
public sealed record EvaluationReport(RetrievalScores Overall, IReadOnlyDictionary<string, RetrievalScores> Domains, double P50Ms, double P99Ms)
{
    public IReadOnlyList<QueryOutcome> Outcomes { get; init; } = [];
}

/// <summary>
/// One query's outcome: the corpus ids ranked, its judgements and label, whether the bot answered, and the
/// best passage's coverage (what the answer-or-decline threshold compares), so thresholds can be tried afterwards.
/// </summary>
public sealed record QueryOutcome(
    string Id,
    string Domain,
    IReadOnlyList<string> Ranked,
    IReadOnlyDictionary<string, int>? Judged,
    string? Answerability,
    bool Confident,
    double TopCoverage)
{
    public bool IsJudged => Judged is { Count: > 0 } j && j.Values.Any(g => g > 0);
}

/// <summary>
/// Asks every query through <see cref="AnswerService"/> — the path chat uses, so a follow-up carries its
/// thread exactly as in a conversation — and scores the ranked corpus ids and the drafter's confidence.
/// </summary>
public sealed class RetrievalEvaluation(AnswerService answers, TimeProvider time)
{
    public const string Answerable = "ANSWERABLE";
    public const string Unanswerable = "UNANSWERABLE";

    /// <summary>Runs the evaluation; <paramref name="depth"/> is how many corpus ids are ranked per query.</summary>
    public async Task<EvaluationReport> RunAsync(BeirEvaluationSet set, int depth, IProgress<int>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(set);
        // One untimed question first, so the latency figures measure searching rather than start-up (JIT, first reads).
        await answers.AnswerWithEvidenceAsync(new AnswerRequest("warm up", []), depth, cancellationToken);
        var outcomes = new List<QueryOutcome>(set.Queries.Count);
        var latencies = new List<double>(set.Queries.Count);
        foreach (var (id, text) in set.Queries.OrderBy(q => q.Key, StringComparer.Ordinal))
        {
            var judged = set.Qrels.GetValueOrDefault(id);
            var label = set.Answers.GetValueOrDefault(id);
            if (judged is null && label is null)
            {
                continue; // Neither judged nor labelled: nothing to score.
            }

            var request = ToRequest(text, set.Conversations.GetValueOrDefault(id));
            var started = time.GetTimestamp();
            var result = await answers.AnswerWithEvidenceAsync(request, depth * 2, cancellationToken);
            latencies.Add(time.GetElapsedTime(started).TotalMilliseconds);

            var ranked = result.Hits.Select(h => h.ArticleId).Distinct(StringComparer.Ordinal).Take(depth).ToList();
            var coverage = result.Hits.Count > 0 ? result.Hits[0].Coverage : 0;
            outcomes.Add(new QueryOutcome(id, label?.Domain ?? string.Empty, ranked, judged, label?.Answerability, result.Answer.Confident, coverage));
            progress?.Report(outcomes.Count);
        }

        var domains = outcomes
            .Where(o => o.Domain.Length > 0)
            .GroupBy(o => o.Domain, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => Score(g.ToList(), set.Answers.Count > 0), StringComparer.Ordinal);
        return new EvaluationReport(
            Score(outcomes, set.Answers.Count > 0),
            domains,
            RetrievalMetrics.Percentile(latencies, 50),
            RetrievalMetrics.Percentile(latencies, 99))
        {
            Outcomes = outcomes,
        };
    }

    /// <summary>The last turn is the question; the earlier ones are the thread's history, as chat keeps it.</summary>
    internal static AnswerRequest ToRequest(string query, IReadOnlyList<BeirTurn>? turns)
    {
        if (turns is not { Count: > 0 })
        {
            return new AnswerRequest(query, []);
        }

        var history = turns.Take(turns.Count - 1)
            .Where(t => !string.IsNullOrWhiteSpace(t.Text))
            .Select(t => new ConversationTurn(string.Equals(t.Speaker, "user", StringComparison.OrdinalIgnoreCase) ? Speaker.User : Speaker.Bot, t.Text!, DateTimeOffset.UnixEpoch))
            .ToList();
        return new AnswerRequest(turns[^1].Text ?? query, history);
    }

    /// <summary>
    /// The averages of <paramref name="outcomes"/>; with <paramref name="minCoverage"/>, a question counts as
    /// answered when its best passage reaches it (the extractive drafter's rule) instead of as it was answered.
    /// </summary>
    public static RetrievalScores Score(IReadOnlyList<QueryOutcome> outcomes, bool labelled, double? minCoverage = null)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        var judged = outcomes.Where(o => o.IsJudged).ToList();
        double Mean(Func<QueryOutcome, double> metric) => judged.Count == 0 ? 0 : judged.Average(metric);
        bool Answered(QueryOutcome o) => minCoverage is { } threshold ? o.TopCoverage >= threshold && o.TopCoverage > 0 : o.Confident;
        var unanswerable = outcomes.Where(o => o.Answerability == Unanswerable).ToList();
        var answerable = outcomes.Where(o => o.Answerability == Answerable).ToList();
        return new RetrievalScores(
            judged.Count,
            Mean(o => RetrievalMetrics.Recall(o.Ranked, o.Judged!, 5)),
            Mean(o => RetrievalMetrics.Recall(o.Ranked, o.Judged!, 10)),
            Mean(o => RetrievalMetrics.ReciprocalRank(o.Ranked, o.Judged!, 10)),
            Mean(o => RetrievalMetrics.Ndcg(o.Ranked, o.Judged!, 10)),
            labelled ? Share(unanswerable, o => !Answered(o)) : null,
            labelled ? Share(answerable, Answered) : null);
    }

    private static double Share(List<QueryOutcome> outcomes, Func<QueryOutcome, bool> predicate) =>
        outcomes.Count == 0 ? 0 : (double)outcomes.Count(predicate) / outcomes.Count;
}
