using SupportBot.IntegrationTests.Infrastructure;

namespace SupportBot.IntegrationTests.Knowledge.Connectors;

public sealed class DocsCrawlerTests : IAsyncLifetime
{
    private readonly string _work = Path.Combine(Path.GetTempPath(), "supportbot-tests", Guid.NewGuid().ToString("N"));
    private DocsSiteStandIn _site = null!;

    public async Task InitializeAsync()
    {
        _site = await DocsSiteStandIn.StartAsync();
        _site.Robots = "User-agent: *\nDisallow: /private/\n";
        _site.Pages["/"] = DocsSiteStandIn.Page("Paylane docs", "Start here for payments guides.", "/guide/refunds", "/guide/payouts#schedule", "/private/pricing", "https://elsewhere.example/page");
        _site.Pages["/guide/refunds"] = DocsSiteStandIn.Page("Refunds", "Refunds settle within five business days.", "/guide/refunds/partial");
        _site.Pages["/guide/payouts"] = DocsSiteStandIn.Page("Payouts", "Payouts run every weekday.");
        _site.Pages["/guide/refunds/partial"] = DocsSiteStandIn.Page("Partial refunds", "A partial refund keeps the rest captured.", "/guide/refunds/partial/limits");
        _site.Pages["/guide/refunds/partial/limits"] = DocsSiteStandIn.Page("Partial refund limits", "Too deep to be crawled.");
        _site.Pages["/private/pricing"] = DocsSiteStandIn.Page("Negotiated pricing", "Robots keep crawlers out.");
    }

    [Fact]
    public async Task A_crawl_follows_same_host_links_to_the_depth_limit_and_never_fetches_what_robots_txt_disallows()
    {
        await using var replica = Replica();
        var summary = await replica.RunAsync("docs");

        var keys = replica.Articles().Keys.Select(k => new Uri(k["docs:".Length..]).AbsolutePath).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["/", "/guide/payouts", "/guide/refunds", "/guide/refunds/partial"], keys);
        Assert.Equal(4, summary.Added);
        Assert.Contains("/robots.txt", _site.Fetched);
        Assert.DoesNotContain("/private/pricing", _site.Fetched);
        Assert.DoesNotContain("/guide/refunds/partial/limits", _site.Fetched); // depth 3 with MaxDepth 2
        var refunds = replica.Articles()[$"docs:{_site.BaseAddress}guide/refunds"];
        Assert.Equal("Refunds", refunds.Title);
        Assert.Equal($"{_site.BaseAddress}guide/refunds", refunds.Url);
        Assert.Equal("en", refunds.Locale);
    }

    [Fact]
    public async Task A_page_gone_from_the_site_leaves_the_index_on_the_next_crawl()
    {
        await using var replica = Replica();
        await replica.RunAsync("docs");
        _site.Pages.TryRemove("/guide/payouts", out _);

        var summary = await replica.RunAsync("docs");

        Assert.Equal(1, summary.Removed);
        Assert.Equal(3, summary.Unchanged);
        Assert.DoesNotContain(replica.Articles().Keys, k => k.EndsWith("/guide/payouts", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_sitemap_seeds_the_crawl_and_a_page_limit_keeps_what_it_did_not_reach()
    {
        _site.Sitemap = $"""
            <?xml version="1.0" encoding="UTF-8"?>
            <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
              <url><loc>{_site.BaseAddress}guide/payouts</loc><lastmod>2026-01-01</lastmod></url>
              <url><loc>{_site.BaseAddress}guide/refunds</loc></url>
              <url><loc>{_site.BaseAddress}private/pricing</loc></url>
            </urlset>
            """;
        await using var replica = Replica(("StartUrl", string.Empty), ("Sitemap", $"{_site.BaseAddress}sitemap.xml"), ("MaxDepth", "0"));
        var summary = await replica.RunAsync("docs");

        Assert.Equal(2, summary.Added);
        Assert.DoesNotContain("/private/pricing", _site.Fetched);
        Assert.DoesNotContain("/guide/refunds/partial", _site.Fetched); // MaxDepth 0: the sitemap's pages only

        // Unchanged since the last crawl by its lastmod and indexed: kept without a request.
        var again = await replica.RunAsync("docs");
        Assert.Equal(2, again.Unchanged);
        Assert.Single(_site.Fetched, p => p == "/guide/payouts");

        _site.Sitemap = _site.Sitemap.Replace("<lastmod>2026-01-01</lastmod>", string.Empty, StringComparison.Ordinal);
        await using var limited = Replica(("StartUrl", string.Empty), ("Sitemap", $"{_site.BaseAddress}sitemap.xml"), ("MaxDepth", "0"), ("MaxPages", "1"));
        var observer = new RecordingObserver();
        var second = await limited.RunAsync("docs", observer);
        Assert.Equal(0, second.Removed);
        Assert.Equal(2, limited.Articles().Count);
        Assert.Contains(observer.Problems, p => p.Contains("MaxPages", StringComparison.Ordinal));
    }

    public async Task DisposeAsync()
    {
        await _site.DisposeAsync();
        try
        {
            Directory.Delete(_work, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private SyncHarness Replica(params (string Key, string Value)[] overrides)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Knowledge:Connectors:docs:Type"] = "crawler",
            ["Knowledge:Connectors:docs:StartUrl"] = _site.BaseAddress.ToString(),
            ["Knowledge:Connectors:docs:MaxDepth"] = "2",
            ["Knowledge:Connectors:docs:Delay"] = "00:00:00",
        };
        foreach (var (key, value) in overrides)
        {
            settings[$"Knowledge:Connectors:docs:{key}"] = value;
        }

        return new SyncHarness(Path.Combine(_work, "index"), settings);
    }
}
