using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using SupportBot.Core.Answering;
using SupportBot.Core.Audit;
using SupportBot.Core.Curation;
using SupportBot.Knowledge;
using SupportBot.Knowledge.Search;

namespace SupportBot.Tests.Curation;

public sealed class CuratedKnowledgeSearchTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-12-01T09:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>An index of one passage per article, a..t, scored 20 down to 1: returns the best <c>Top</c>.</summary>
    private sealed class RankedIndex : IKnowledgeSearch
    {
        public List<int> Asked { get; } = [];

        public Task<IReadOnlyList<SearchHit>> SearchAsync(SearchRequest request, CancellationToken cancellationToken)
        {
            Asked.Add(request.Top);
            IReadOnlyList<SearchHit> hits = [.. Enumerable.Range(0, 20).Take(request.Top).Select(i => Hit(((char)('a' + i)).ToString(), 20 - i))];
            return Task.FromResult(hits);
        }

        // Article "b" is a past thread (its source says so).
        private static SearchHit Hit(string article, float score) =>
            new($"{article}#0", article, article, null, string.Empty, "general", article == "b" ? SupportBot.Core.PastThreads.PastThread.SourceName : article + ".md", "text", score, 1, [],
                Updated: article == "a" ? new DateOnly(2025, 1, 10) : new DateOnly(2026, 11, 1));
    }

    private static (CuratedKnowledgeSearch Search, RankedIndex Index, CurationService Curation) Create(TimeSpan? staleAfter = null, double boostedWeight = 1.5, double pastThreadWeight = 1.0)
    {
        var index = new RankedIndex();
        var time = new FakeTimeProvider(Now);
        var curation = new CurationService(new InMemoryCurationStore(), new InMemoryAuditTrail(), time, NullLogger<CurationService>.Instance);
        var search = new CuratedKnowledgeSearch(
            index,
            curation,
            Options.Create(new KnowledgeOptions { StaleAfter = staleAfter ?? TimeSpan.FromDays(365) }),
            Options.Create(new KnowledgeSearchOptions { BoostedWeight = boostedWeight }),
            time,
            pastThreadWeight);
        return (search, index, curation);
    }

    private static readonly CurationActor Ops = new("web", null, "ops-1", "Olu Ops", "dashboard");

    [Fact]
    public async Task Without_curation_the_search_is_asked_exactly_what_was_asked()
    {
        var (search, index, _) = Create();
        var hits = await search.SearchAsync(new SearchRequest("q", [], 5), default);
        Assert.Equal(["a", "b", "c", "d", "e"], hits.Select(h => h.ArticleId));
        Assert.Equal([5], index.Asked);
    }

    [Fact]
    public async Task A_past_thread_among_the_results_weighs_in_below_articles_of_nearly_its_score()
    {
        // b (19, a past thread) × 0.8 = 15.2: below c (18) … e (16), above f (15).
        var (search, index, _) = Create(pastThreadWeight: 0.8);
        var hits = await search.SearchAsync(new SearchRequest("q", [], 5), default);
        Assert.Equal(["a", "c", "d", "e", "b"], hits.Select(h => h.ArticleId));
        Assert.Equal([5, 10], index.Asked); // widened only because a past thread was among the first results

        var (unweighted, _, _) = Create(pastThreadWeight: 1.0);
        Assert.Equal(["a", "b", "c", "d", "e"], (await unweighted.SearchAsync(new SearchRequest("q", [], 5), default)).Select(h => h.ArticleId));
    }

    [Fact]
    public async Task Hidden_articles_are_dropped_and_the_search_widens_until_top_others_are_found()
    {
        var (search, index, curation) = Create();
        foreach (var article in new[] { "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k" })
        {
            await curation.SetAsync(article, CurationState.Hidden, Ops, default);
        }

        var hits = await search.SearchAsync(new SearchRequest("q", [], 5), default);
        Assert.Equal(["l", "m", "n", "o", "p"], hits.Select(h => h.ArticleId));
        Assert.Equal([10, 20], index.Asked);
    }

    [Fact]
    public async Task A_boost_reorders_the_retrieved_candidates_and_never_adds_one_beyond_them()
    {
        var (search, _, curation) = Create(boostedWeight: 3);
        await curation.SetAsync("h", CurationState.Boosted, Ops, default); // score 13 × 3 = 39, within the 10 candidates
        await curation.SetAsync("s", CurationState.Boosted, Ops, default); // 20th: beyond them

        var hits = await search.SearchAsync(new SearchRequest("q", [], 5), default);
        Assert.Equal(["h", "a", "b", "c", "d"], hits.Select(h => h.ArticleId));
        Assert.Equal(39, hits[0].Score);

        await curation.SetAsync("h", CurationState.Normal, Ops, default);
        Assert.Equal(["a", "b", "c", "d", "e"], (await search.SearchAsync(new SearchRequest("q", [], 5), default)).Select(h => h.ArticleId));
    }

    [Fact]
    public async Task Passages_of_articles_older_than_the_age_are_stale_and_a_zero_age_flags_none()
    {
        var (search, _, _) = Create(TimeSpan.FromDays(365));
        var hits = await search.SearchAsync(new SearchRequest("q", [], 3), default);
        Assert.Equal([true, false, false], hits.Select(h => h.Stale));

        var (off, _, _) = Create(TimeSpan.Zero);
        Assert.All(await off.SearchAsync(new SearchRequest("q", [], 3), default), h => Assert.False(h.Stale));
    }

    [Theory]
    [InlineData("", null)]
    [InlineData("0", 0)]
    [InlineData("90", 90)]
    [InlineData("180.00:00:00", 180)]
    public void Stale_after_reads_days_and_empty_turns_it_off(string written, int? days)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Knowledge:StaleAfter"] = written })
            .Build();
        var options = new KnowledgeOptions();
        ConfigurationBinder.Bind(configuration.GetSection(KnowledgeOptions.Section), options);
        Assert.Equal(days is { } d ? TimeSpan.FromDays(d) : null, options.StaleAfter);
    }

    [Fact]
    public void The_citation_of_a_stale_passage_carries_the_flag_and_its_date()
    {
        var hit = new SearchHit("a#0", "a", "Refunds", "Partial", "https://kb/a", "general", "a.md", "text", 1, 1, [], new DateOnly(2024, 3, 1), Stale: true);
        var citation = Citation.Of(2, hit);
        Assert.Equal("Refunds — Partial", citation.Title);
        Assert.Equal("a", citation.ArticleId);
        Assert.Equal("may be outdated: updated 2024-03-01", citation.StaleNote);
        Assert.Null(Citation.Of(1, hit with { Stale = false }).StaleNote);
    }
}
