using SupportBot.Knowledge.Vectors;

namespace SupportBot.Tests.Knowledge.Vectors;

public sealed class QueryVectorCacheTests
{
    [Fact]
    public async Task A_follow_up_in_a_thread_embeds_only_its_own_turn_and_gets_the_same_vector_as_without_the_cache()
    {
        var model = new SeededEmbeddings(16);
        var embedder = new PassageEmbedder(model);
        var first = await embedder.EmbedQueryAsync([("How do refunds work?", 1f)], DenseQueryMode.Turns, default);
        var followUp = await embedder.EmbedQueryAsync(
            [("And for partial ones?", 1f), ("How do refunds work?", 0.5f), ("Refunds go back to the card [1].", 0.2f)],
            DenseQueryMode.Turns,
            default);

        Assert.Equal(["How do refunds work?", "And for partial ones?", "Refunds go back to the card [1]."], model.Embedded);

        var fresh = await new PassageEmbedder(new SeededEmbeddings(16)).EmbedQueryAsync(
            [("And for partial ones?", 1f), ("How do refunds work?", 0.5f), ("Refunds go back to the card [1].", 0.2f)],
            DenseQueryMode.Turns,
            default);
        Assert.Equal(fresh!, followUp!);
        Assert.NotNull(first);
    }

    [Fact]
    public void Recent_vectors_stay_within_twice_the_capacity_and_keep_what_is_used()
    {
        var recent = new RecentVectors(4);
        recent.Add("kept", [1f]);
        for (var i = 0; i < 20; i++)
        {
            recent.Add($"text {i}", [i]);
            Assert.NotNull(recent.TryGet("kept")); // used all along: moved back each time its generation ages
            Assert.True(recent.Count <= 8, $"{recent.Count} entries");
        }

        Assert.Null(recent.TryGet("text 0"));
        Assert.Equal([19f], recent.TryGet("text 19")!);
    }
}
