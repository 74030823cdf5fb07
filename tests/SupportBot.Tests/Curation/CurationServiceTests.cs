using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using SupportBot.Core.Audit;
using SupportBot.Core.Curation;
using SupportBot.Knowledge.Articles;

namespace SupportBot.Tests.Curation;

public sealed class CurationServiceTests
{
    private static readonly CurationActor Ops = new("web", "T1", "ops-1", "Olu Ops", "dashboard");

    /// <summary>A store another replica also writes to, counting reads; it can be made to fail.</summary>
    private sealed class SharedStore : ICurationStore
    {
        public InMemoryCurationStore Inner { get; } = new();

        public int Reads { get; private set; }

        public bool Down { get; set; }

        public Task<IReadOnlyDictionary<string, ArticleCuration>> ReadAllAsync(CancellationToken cancellationToken)
        {
            Reads++;
            return Down ? throw new TimeoutException("store down") : Inner.ReadAllAsync(cancellationToken);
        }

        public Task SetAsync(ArticleCuration curation, CancellationToken cancellationToken) => Inner.SetAsync(curation, cancellationToken);
    }

    [Fact]
    public async Task Searches_read_the_store_at_most_once_per_refresh_interval_and_see_another_replicas_change_after_it()
    {
        var time = new FakeTimeProvider();
        var store = new SharedStore();
        var curation = new CurationService(store, new InMemoryAuditTrail(), time, NullLogger<CurationService>.Instance);

        for (var i = 0; i < 100; i++)
        {
            Assert.Empty(await curation.CurrentAsync(default));
        }

        Assert.Equal(1, store.Reads);

        // Another replica hides an article.
        await store.Inner.SetAsync(new ArticleCuration("refunds", CurationState.Hidden, "x", time.GetUtcNow()), default);
        Assert.Empty(await curation.CurrentAsync(default));
        time.Advance(CurationService.RefreshAfter);
        Assert.Equal(CurationState.Hidden, (await curation.CurrentAsync(default))["refunds"].State);
        Assert.Equal(2, store.Reads);
    }

    [Fact]
    public async Task A_change_applies_at_once_on_its_replica_and_is_audited()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-01T09:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var audit = new InMemoryAuditTrail();
        var curation = new CurationService(new SharedStore(), audit, time, NullLogger<CurationService>.Instance);
        Assert.Empty(await curation.CurrentAsync(default));

        await curation.SetAsync("refunds", CurationState.Boosted, Ops, default);

        var entry = (await curation.CurrentAsync(default))["refunds"];
        Assert.Equal(CurationState.Boosted, entry.State);
        Assert.Equal("Olu Ops (ops-1)", entry.By);
        Assert.Equal(time.GetUtcNow(), entry.At);
        var audited = Assert.Single(await audit.ReadAsync(10, default));
        Assert.Equal(("curation.boost", "refunds", "ops-1", "T1", "dashboard"), (audited.Action, audited.Subject, audited.UserId, audited.Tenant, audited.Where));

        await curation.SetAsync("refunds", CurationState.Normal, Ops, default);
        Assert.Empty(await curation.CurrentAsync(default));
        Assert.Equal("curation.reset", (await audit.ReadAsync(1, default))[0].Action);
    }

    [Fact]
    public async Task When_the_store_cannot_be_read_searches_keep_the_last_known_curation()
    {
        var time = new FakeTimeProvider();
        var store = new SharedStore();
        var curation = new CurationService(store, new InMemoryAuditTrail(), time, NullLogger<CurationService>.Instance);
        await curation.SetAsync("refunds", CurationState.Hidden, Ops, default);

        store.Down = true;
        time.Advance(CurationService.RefreshAfter);
        Assert.Equal(CurationState.Hidden, (await curation.CurrentAsync(default))["refunds"].State);
    }

    [Theory]
    [InlineData("2024-03-01", 2024, 3, 1)]
    [InlineData("\"2024-03-01\"", 2024, 3, 1)]
    [InlineData("2024-03-01T23:30:00-02:00", 2024, 3, 2)]
    public void Updated_dates_are_read_from_front_matter(string written, int year, int month, int day) =>
        Assert.Equal(new DateOnly(year, month, day), ArticleDates.Parse(written));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("last spring")]
    public void A_missing_or_unreadable_date_is_none(string? written) => Assert.Null(ArticleDates.Parse(written));

    [Fact]
    public void An_article_is_stale_only_when_older_than_a_set_age()
    {
        var today = new DateOnly(2026, 12, 1);
        Assert.True(ArticleDates.IsStale(new DateOnly(2025, 11, 30), TimeSpan.FromDays(365), today));
        Assert.False(ArticleDates.IsStale(new DateOnly(2025, 12, 1), TimeSpan.FromDays(365), today));
        Assert.False(ArticleDates.IsStale(new DateOnly(2000, 1, 1), TimeSpan.Zero, today));
        Assert.False(ArticleDates.IsStale(new DateOnly(2000, 1, 1), null, today));
        Assert.False(ArticleDates.IsStale(null, TimeSpan.FromDays(1), today));
    }
}
