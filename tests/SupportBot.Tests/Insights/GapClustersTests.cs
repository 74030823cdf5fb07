using SupportBot.Core.Insights;

namespace SupportBot.Tests.Insights;

/// <summary>Unanswered questions grouped into documentation gaps.</summary>
public sealed class GapClustersTests
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.Parse("2026-12-01T09:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

    private static QuestionRecord Gap(string question, int minutes, string channel = "C0AGENTS", string surface = "slack") =>
        new(T0.AddMinutes(minutes), surface, "ann", question, "I could not find that.", false, 0, $"a{minutes}", channel);

    [Fact]
    public void Terms_leave_out_stop_words_numbers_and_plurals()
    {
        Assert.Equal(
            new HashSet<string> { "payout", "delayed", "merchant", "account" },
            GapClusters.Terms("Why are my payouts delayed for merchant 12345's account?"));
        Assert.Equal(new HashSet<string> { "card" }, GapClusters.Terms("What is it with [card ••••4242]?"));
        Assert.Empty(GapClusters.Terms("How do I do this?"));
    }

    [Fact]
    public void Similar_questions_form_one_cluster_and_unrelated_ones_their_own()
    {
        var clusters = GapClusters.Group(
        [
            Gap("How do I change the payout schedule?", 1),
            Gap("Can a merchant change their payout schedule to weekly?", 2),
            Gap("What is the capital of France?", 3),
            Gap("change payout schedule for a connected account", 4),
            Gap("How do I enable Apple Pay on the checkout page?", 5),
        ]);

        Assert.Equal(3, clusters.Count);
        var payouts = clusters[0];
        Assert.Equal(3, payouts.Count);
        Assert.Equal(["change", "payout", "schedule"], payouts.Terms);
        Assert.Equal("change, payout, schedule", payouts.Label);
        Assert.Equal("How do I change the payout schedule?", payouts.Representative);
        // Examples newest first, with when and where.
        Assert.Equal(["change payout schedule for a connected account", "Can a merchant change their payout schedule to weekly?", "How do I change the payout schedule?"], payouts.Examples.Select(e => e.Question));
        Assert.Equal(T0.AddMinutes(4), payouts.Latest);
        Assert.Equal("C0AGENTS", payouts.Examples[0].Channel);
        Assert.Equal("slack", payouts.Examples[0].Surface);
        Assert.All(clusters.Skip(1), c => Assert.Equal(1, c.Count));
        // Equal counts: the newest first.
        Assert.Equal("How do I enable Apple Pay on the checkout page?", clusters[1].Representative);
        Assert.Equal(5, clusters.Sum(c => c.Count));
    }

    [Fact]
    public void A_cluster_shows_at_most_three_examples_but_counts_every_question()
    {
        var clusters = GapClusters.Group([.. Enumerable.Range(0, 7).Select(i => Gap($"Refund to an expired card, attempt {i}", i))]);

        var cluster = Assert.Single(clusters);
        Assert.Equal(7, cluster.Count);
        Assert.Equal(GapClusters.MaxExamples, cluster.Examples.Count);
        Assert.Equal(T0.AddMinutes(6), cluster.Examples[0].At);
    }

    [Fact]
    public void Questions_without_terms_group_only_with_the_same_text()
    {
        var clusters = GapClusters.Group([Gap("How do I do this?", 1), Gap("how do i do this?", 2), Gap("What is that?", 3)]);

        Assert.Equal([2, 1], clusters.Select(c => c.Count));
    }

    [Fact]
    public void The_same_questions_give_the_same_clusters_whatever_their_order()
    {
        List<QuestionRecord> questions =
        [
            Gap("dispute evidence deadline", 1), Gap("evidence upload for a dispute", 2), Gap("payout failed bank account", 3),
            Gap("bank account payout failed again", 4), Gap("dispute evidence format", 5),
        ];

        var forward = GapClusters.Group(questions);
        var backward = GapClusters.Group(Enumerable.Reverse(questions));

        Assert.Equal(forward.Select(c => (c.Label, c.Count)), backward.Select(c => (c.Label, c.Count)));
        Assert.Equal([3, 2], forward.Select(c => c.Count));
    }

    [Fact]
    public void Five_hundred_questions_cluster_quickly_enough_for_a_page_load()
    {
        var topics = new[] { "payout schedule", "dispute evidence", "refund expired card", "apple pay checkout", "tax invoice vat" };
        var questions = Enumerable.Range(0, 500).Select(i => Gap($"{topics[i % topics.Length]} question variant{i % 7}", i)).ToList();

        var clusters = GapClusters.Group(questions);

        Assert.Equal(500, clusters.Sum(c => c.Count));
        Assert.Equal(topics.Length, clusters.Count);
    }
}
