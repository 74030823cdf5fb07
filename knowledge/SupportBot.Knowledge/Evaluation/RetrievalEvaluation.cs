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

/// <summary>The outcome of an evaluation: overall, per domain (when the answer labels name one), and latency.</summary>
public sealed record EvaluationReport(RetrievalScores Overall, IReadOnlyDictionary<string, RetrievalScores> Domains, double P50Ms, double P99Ms);

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
        var outcomes = new List<Outcome>(set.Queries.Count);
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
            outcomes.Add(new Outcome(label?.Domain ?? string.Empty, ranked, judged, label?.Answerability, result.Answer.Confident));
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
            RetrievalMetrics.Percentile(latencies, 99));
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

    private static RetrievalScores Score(List<Outcome> outcomes, bool labelled)
    {
        var judged = outcomes.Where(o => o.Judged is { Count: > 0 } j && j.Values.Any(g => g > 0)).ToList();
        double Mean(Func<Outcome, double> metric) => judged.Count == 0 ? 0 : judged.Average(metric);
        var unanswerable = outcomes.Where(o => o.Answerability == Unanswerable).ToList();
        var answerable = outcomes.Where(o => o.Answerability == Answerable).ToList();
        return new RetrievalScores(
            judged.Count,
            Mean(o => RetrievalMetrics.Recall(o.Ranked, o.Judged!, 5)),
            Mean(o => RetrievalMetrics.Recall(o.Ranked, o.Judged!, 10)),
            Mean(o => RetrievalMetrics.ReciprocalRank(o.Ranked, o.Judged!, 10)),
            Mean(o => RetrievalMetrics.Ndcg(o.Ranked, o.Judged!, 10)),
            labelled ? Share(unanswerable, o => !o.Confident) : null,
            labelled ? Share(answerable, o => o.Confident) : null);
    }

    private static double Share(List<Outcome> outcomes, Func<Outcome, bool> predicate) =>
        outcomes.Count == 0 ? 0 : (double)outcomes.Count(predicate) / outcomes.Count;

    private sealed record Outcome(string Domain, List<string> Ranked, IReadOnlyDictionary<string, int>? Judged, string? Answerability, bool Confident);
}
