using SupportBot.Core.Answering;
using SupportBot.Knowledge.Search;

namespace SupportBot.IntegrationTests.Knowledge;

public sealed class KnowledgeSearchTests : IAsyncLifetime
{
    private readonly TempIndex _index = new();

    public async Task InitializeAsync()
    {
        await _index.AddAsync(
            TempIndex.Article("instant-payouts", "Instant payouts", "Instant payouts arrive within 30 minutes. They cost 1% of the amount.\n\n## Eligibility\nOnly debit cards in the US and Canada can receive instant payouts.", "payouts"),
            TempIndex.Article("payout-schedules", "Payout schedules", "Payouts run daily, weekly or monthly. New accounts wait 7 days for the first payout.", "payouts"),
            TempIndex.Article("dispute-fees", "Dispute fees", "Every dispute costs a $15 fee. The fee is returned when the dispute is won.", "disputes"),
            TempIndex.Article("refunds", "Refunds", "Refunds reach the customer in 5 to 10 business days. A refund cannot exceed the charge. Fees are not returned.", "payments"));
    }

    public Task DisposeAsync()
    {
        _index.Dispose();
        return Task.CompletedTask;
    }

    private Task<IReadOnlyList<SearchHit>> SearchAsync(string question, IReadOnlyList<string>? context = null, string? product = null, IReadOnlyList<string>? replies = null) =>
        _index.Search.SearchAsync(new SearchRequest(question, context ?? [], 5, product, replies), default);

    [Fact]
    public async Task A_follow_up_finds_the_topic_of_its_thread()
    {
        var alone = await SearchAsync("Which cards are eligible?");
        var inThread = await SearchAsync("Which cards are eligible?", ["How fast are instant payouts?"]);

        Assert.Equal("instant-payouts", inThread[0].ArticleId);
        Assert.Equal("Eligibility", inThread[0].Section);
        Assert.True(inThread[0].Coverage > 0.5, $"coverage {inThread[0].Coverage}");
        Assert.True(alone.Count == 0 || alone[0].Score < inThread[0].Score);
    }

    [Fact]
    public void Recent_turns_weigh_more_than_older_ones()
    {
        var search = _index.Search;
        var terms = search.WeightedTerms(new SearchRequest("And the fee?", ["refunds timing", "dispute outcome"], Replies: ["Daily payouts."]));

        Assert.Equal(1f, terms["fee"]);
        Assert.True(terms["disput"] > terms["refund"], "the latest earlier turn weighs more");
        Assert.True(terms["daili"] < terms["disput"], "replies weigh less than the user's turns");
    }

    [Fact]
    public async Task Product_filter_keeps_only_that_product_area()
    {
        var all = await SearchAsync("fee returned");
        var disputes = await SearchAsync("fee returned", product: "disputes");

        Assert.Contains(all, h => h.Product != "disputes");
        Assert.NotEmpty(disputes);
        Assert.All(disputes, h => Assert.Equal("disputes", h.Product));
    }

    [Fact]
    public async Task Key_sentences_are_the_ones_that_match_the_question()
    {
        var hits = await SearchAsync("How much does an instant payout cost?");

        Assert.Equal("instant-payouts", hits[0].ArticleId);
        Assert.Contains("They cost 1% of the amount.", hits[0].KeySentences);
        Assert.DoesNotContain(hits[0].KeySentences, s => s.Contains("Eligibility", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Random_unicode_and_query_syntax_never_raise()
    {
        var random = new Random(20261125);
        string[] fragments =
        [
            "title:(payout", "\"unterminated", "fee~0.5", "*", "?", "payout^99", "AND", "OR NOT", "[1 TO", "{", "}", "\\", "/regex.*/",
            "+-!&&||", "::", "refund", "\u0000", "\uD83D\uDE00", "\uD83D", "\u202E", "ß", "日本語", "\u0301", "%s", "{{x}}", "<script>",
        ];
        for (var i = 0; i < 400; i++)
        {
            var text = new System.Text.StringBuilder();
            var parts = random.Next(1, 8);
            for (var p = 0; p < parts; p++)
            {
                if (random.Next(2) == 0)
                {
                    text.Append(fragments[random.Next(fragments.Length)]);
                }
                else
                {
                    for (var c = random.Next(1, 12); c > 0; c--)
                    {
                        text.Append((char)random.Next(0, 0xFFFF));
                    }
                }

                text.Append(random.Next(3) == 0 ? ' ' : ':');
            }

            var question = text.ToString();
            var hits = await SearchAsync(question, [question[..(question.Length / 2)]], random.Next(4) == 0 ? "payouts" : null, [question]);
            Assert.All(hits, h => Assert.InRange(h.Coverage, 0, 1));
        }

        Assert.Equal("refunds", (await SearchAsync("refund: \"days"))[0].ArticleId);
    }
}

public sealed class ProximityTests
{
    [Fact]
    public async Task Question_terms_close_together_rank_above_the_same_terms_scattered()
    {
        using var index = new TempIndex();
        await index.AddAsync(
            TempIndex.Article("scattered", "Notes", "The reserve is reviewed monthly. Separately, a rolling window applies to chargebacks of any kind."),
            TempIndex.Article("together", "Notes two", "A rolling reserve holds back part of each payout. Reviews happen monthly for any kind of account."));

        var hits = await index.Search.SearchAsync(new SearchRequest("What is a rolling reserve?", []), default);

        Assert.Equal("together", hits[0].ArticleId);
        Assert.Equal(2, hits.Count);
    }
}
