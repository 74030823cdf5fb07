using SupportBot.Knowledge.Search;

namespace SupportBot.Tests.Knowledge.Search;

public sealed class ScoreFusionTests
{
    [Fact]
    public void Score_fusion_adds_min_max_normalised_scores_by_weight()
    {
        // BM25 12, 8, 4 → 1, 0.5, 0. Cosines 0.9, 0.5 → 1, 0 (doc 3 only in the dense list).
        var fused = ScoreFusion.Fuse([[(1, 12f), (2, 8f), (4, 4f)], [(3, 0.9f), (2, 0.5f)]], [1.0, 1.0]);

        Assert.Equal([1, 3, 2, 4], fused.Select(f => f.Doc));
        Assert.Equal(1.0, fused[0].Score, 6);
        Assert.Equal(0.5, fused[2].Score, 6);
        Assert.Equal(0.0, fused[3].Score, 6);
    }

    [Fact]
    public void Score_fusion_weighs_the_dense_ranking_by_its_weight()
    {
        // BM25 prefers 1, dense prefers 2: at weight 0.5 BM25 leads, at 2 the dense ranking does.
        IReadOnlyList<(int, float)> bm25 = [(1, 10f), (2, 5f)];
        IReadOnlyList<(int, float)> dense = [(2, 0.8f), (1, 0.4f)];

        Assert.Equal(1, ScoreFusion.Fuse([bm25, dense], [1.0, 0.5])[0].Doc);
        Assert.Equal(2, ScoreFusion.Fuse([bm25, dense], [1.0, 2.0])[0].Doc);
    }

    [Fact]
    public void Score_fusion_breaks_ties_by_the_first_rankings_order_and_counts_a_repeat_once()
    {
        // Equal scores normalise to 1 each; the tie goes to BM25's order.
        var fused = ScoreFusion.Fuse([[(7, 3f), (5, 3f), (7, 1f)], []], [1.0, 1.0]);

        Assert.Equal([7, 5], fused.Select(f => f.Doc));
        Assert.Throws<ArgumentException>(() => ScoreFusion.Fuse([[(1, 1f)]], [1.0, 1.0]));
    }
}
