using SupportBot.Knowledge.Search;

namespace SupportBot.Tests.Knowledge.Search;

public sealed class ReciprocalRankFusionTests
{
    [Fact]
    public void Hybrid_fusion_adds_reciprocal_ranks()
    {
        // BM25: 10, 20, 30. Dense: 30, 40, 10.
        // 10: 1/61 + 1/63 = 0.032267; 30: 1/63 + 1/61 = 0.032267 (tie: BM25 ranks 10 higher);
        // 20: 1/62 = 0.016129; 40: 1/62 = 0.016129 (tie: 20 is in BM25's list, 40 only in the dense one).
        var fused = ReciprocalRankFusion.Fuse([[10, 20, 30], [30, 40, 10]]);

        Assert.Equal([10, 30, 20, 40], fused.Select(f => f.Doc));
        Assert.Equal((1.0 / 61) + (1.0 / 63), fused[0].Score, 6);
        Assert.Equal(fused[0].Score, fused[1].Score);
        Assert.Equal(1.0 / 62, fused[2].Score, 6);
    }

    [Fact]
    public void Hybrid_fusion_rewards_agreement_over_one_lists_top()
    {
        // 7 is first by BM25 only; 8 is second in both lists: 2/62 > 1/61.
        var fused = ReciprocalRankFusion.Fuse([[7, 8, 9], [5, 8, 6]]);

        Assert.Equal(8, fused[0].Doc);
        Assert.Equal([8, 7, 5, 9, 6], fused.Select(f => f.Doc));
    }

    [Fact]
    public void Hybrid_fusion_of_one_list_keeps_its_order_and_a_repeat_counts_once()
    {
        Assert.Equal([3, 1, 2], ReciprocalRankFusion.Fuse([[3, 1, 3, 2]]).Select(f => f.Doc));
        Assert.Empty(ReciprocalRankFusion.Fuse([[], []]));
    }

    [Fact]
    public void Weighted_fusion_lets_the_heavier_ranking_lead()
    {
        // BM25: 1, 2. Dense: 2, 1. Equal weights tie (BM25's order wins); dense at 2 puts 2 first.
        Assert.Equal([1, 2], ReciprocalRankFusion.Fuse([[1, 2], [2, 1]], weights: [1.0, 1.0]).Select(f => f.Doc));
        var weighted = ReciprocalRankFusion.Fuse([[1, 2], [2, 1]], weights: [1.0, 2.0]);

        Assert.Equal([2, 1], weighted.Select(f => f.Doc));
        Assert.Equal((1.0 / 62) + (2.0 / 61), weighted[0].Score, 6);
    }

    [Fact]
    public void Weighted_fusion_with_a_zero_weight_keeps_the_first_rankings_order()
    {
        var fused = ReciprocalRankFusion.Fuse([[5, 6, 7], [7, 6, 9]], weights: [1.0, 0.0]);

        Assert.Equal([5, 6, 7, 9], fused.Select(f => f.Doc));
        Assert.Throws<ArgumentException>(() => ReciprocalRankFusion.Fuse([[1], [2]], weights: [1.0]));
    }
}
