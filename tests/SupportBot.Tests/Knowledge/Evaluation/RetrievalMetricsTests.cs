using SupportBot.Knowledge.Evaluation;

namespace SupportBot.Tests.Knowledge.Evaluation;

public sealed class RetrievalMetricsTests
{
    // Ranked a, b, c, d; relevant are b (grade 1), d (grade 2) and x (grade 1, never retrieved); c is judged not relevant.
    private static readonly string[] Ranked = ["a", "b", "c", "d"];
    private static readonly Dictionary<string, int> Judged = new() { ["b"] = 1, ["d"] = 2, ["x"] = 1, ["c"] = 0 };

    [Fact]
    public void Recall_is_the_share_of_relevant_documents_within_the_cutoff()
    {
        Assert.Equal(0.0, RetrievalMetrics.Recall(Ranked, Judged, 1), 6);
        Assert.Equal(1.0 / 3, RetrievalMetrics.Recall(Ranked, Judged, 2), 6);
        Assert.Equal(2.0 / 3, RetrievalMetrics.Recall(Ranked, Judged, 4), 6);
        Assert.Equal(2.0 / 3, RetrievalMetrics.Recall(Ranked, Judged, 10), 6);
    }

    [Fact]
    public void Reciprocal_rank_is_one_over_the_first_relevant_rank_within_the_cutoff()
    {
        Assert.Equal(0.5, RetrievalMetrics.ReciprocalRank(Ranked, Judged, 10), 6);
        Assert.Equal(0.0, RetrievalMetrics.ReciprocalRank(Ranked, Judged, 1), 6);
        Assert.Equal(1.0, RetrievalMetrics.ReciprocalRank(["d", "a"], Judged, 10), 6);
    }

    [Fact]
    public void Ndcg_uses_graded_gains_and_the_ideal_order()
    {
        // DCG = 1/log2(3) + 2/log2(5); ideal = 2/log2(2) + 1/log2(3) + 1/log2(4).
        var dcg = (1 / Math.Log2(3)) + (2 / Math.Log2(5));
        var ideal = 2 + (1 / Math.Log2(3)) + 0.5;
        Assert.Equal(dcg / ideal, RetrievalMetrics.Ndcg(Ranked, Judged, 10), 6);
        Assert.Equal(0.476632, RetrievalMetrics.Ndcg(Ranked, Judged, 10), 5);

        // The ideal ranking scores 1; nothing relevant scores 0.
        Assert.Equal(1.0, RetrievalMetrics.Ndcg(["d", "b", "x"], Judged, 10), 6);
        Assert.Equal(0.0, RetrievalMetrics.Ndcg(["a", "c"], Judged, 10), 6);
    }

    [Fact]
    public void Percentiles_use_the_nearest_rank()
    {
        var values = Enumerable.Range(1, 100).Select(i => (double)(101 - i)).ToList();

        Assert.Equal(50, RetrievalMetrics.Percentile(values, 50));
        Assert.Equal(99, RetrievalMetrics.Percentile(values, 99));
        Assert.Equal(7, RetrievalMetrics.Percentile([7], 99));
        Assert.Equal(0, RetrievalMetrics.Percentile([], 50));
    }

    [Fact]
    public void A_thread_becomes_history_and_its_last_turn_the_question()
    {
        var request = RetrievalEvaluation.ToRequest("fallback", [
            new BeirTurn("user", "Which regions have toolchains?"),
            new BeirTurn("agent", "Dallas, Frankfurt and Sao Paulo."),
            new BeirTurn("user", "Is Sao Paulo in Europe?"),
        ]);

        Assert.Equal("Is Sao Paulo in Europe?", request.Question);
        Assert.Equal(["user", "bot"], request.History.Select(t => t.Speaker));
        Assert.Equal("Dallas, Frankfurt and Sao Paulo.", request.History[1].Text);
        Assert.Equal("alone", RetrievalEvaluation.ToRequest("alone", null).Question);
    }
}
