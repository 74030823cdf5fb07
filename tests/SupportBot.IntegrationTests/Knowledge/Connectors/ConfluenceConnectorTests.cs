using SupportBot.IntegrationTests.Infrastructure;

namespace SupportBot.IntegrationTests.Knowledge.Connectors;

public sealed class ConfluenceConnectorTests : IAsyncLifetime
{
    private static readonly DateTimeOffset LongAgo = new(2026, 1, 10, 9, 0, 0, TimeSpan.Zero);
    private readonly string _work = Path.Combine(Path.GetTempPath(), "supportbot-tests", Guid.NewGuid().ToString("N"));
    private ConfluenceStandIn _confluence = null!;

    public async Task InitializeAsync()
    {
        _confluence = await ConfluenceStandIn.StartAsync();
        _confluence.Put("101", "Refund runbook", """
            <h2>When a refund is stuck</h2><p>Check the <strong>refund ledger</strong> first.</p>
            <ac:structured-macro ac:name="warning"><ac:rich-text-body><p>Never refund twice.</p></ac:rich-text-body></ac:structured-macro>
            """, LongAgo.AddDays(-10));
        _confluence.Put("102", "Settlement files", "<p>Settlement files arrive at 06:00 UTC.</p>", LongAgo.AddMinutes(5));
        _confluence.Put("103", "Holiday rota", "<p>Private to HR.</p>", LongAgo, space: "HR", spaceName: "People");
    }

    [Fact]
    public async Task A_first_sync_indexes_the_spaces_pages_as_text_with_the_space_as_product_area()
    {
        await using var replica = Replica();
        var summary = await replica.RunAsync("wiki");

        Assert.Equal(2, summary.Added);
        var articles = replica.Articles();
        Assert.Equal(["wiki:101", "wiki:102"], articles.Keys.Order(StringComparer.Ordinal));
        var runbook = articles["wiki:101"];
        Assert.Equal("payment operations", runbook.Product);
        Assert.Equal($"{_confluence.BaseAddress}wiki/spaces/OPS/pages/101", runbook.Url);
        Assert.Equal("wiki", runbook.Source);
        Assert.Contains("Never refund twice.", string.Join('\n', articles.Values.Select(a => a.Text)), StringComparison.Ordinal);
        Assert.DoesNotContain("ac:", runbook.Text, StringComparison.Ordinal);
        Assert.Equal("space in (\"OPS\") and type=page order by lastmodified asc", _confluence.Queries.First());
    }

    [Fact]
    public async Task An_incremental_sync_asks_only_for_pages_modified_since_the_last_change_seen()
    {
        await using var replica = Replica();
        await replica.RunAsync("wiki");
        _confluence.Put("102", "Settlement files", "<p>Settlement files now arrive at 05:00 UTC.</p>", LongAgo.AddDays(20));

        var summary = await replica.RunAsync("wiki");

        Assert.False(summary.Full);
        Assert.Equal(1, summary.Read);
        Assert.Equal(1, summary.Updated);
        Assert.Contains("and lastmodified >= \"2026/01/09 09:05\"", _confluence.Queries.Last(), StringComparison.Ordinal); // a day before the last change seen
        Assert.Contains("05:00 UTC", replica.Articles()["wiki:102"].Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_deleted_page_leaves_the_index_on_the_next_full_listing()
    {
        await using var replica = Replica(("FullSyncEvery", "00:00:00"));
        await replica.RunAsync("wiki");
        _confluence.Pages.TryRemove("101", out _);

        var summary = await replica.RunAsync("wiki");

        Assert.True(summary.Full);
        Assert.Equal(1, summary.Removed);
        Assert.Equal(["wiki:102"], replica.Articles().Keys);
    }

    public async Task DisposeAsync()
    {
        await _confluence.DisposeAsync();
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
            ["Knowledge:Connectors:wiki:Type"] = "confluence",
            ["Knowledge:Connectors:wiki:BaseUrl"] = _confluence.BaseAddress.ToString(),
            ["Knowledge:Connectors:wiki:Email"] = ConfluenceStandIn.Email,
            ["Knowledge:Connectors:wiki:ApiToken"] = ConfluenceStandIn.Token,
            ["Knowledge:Connectors:wiki:Spaces:0"] = "OPS",
            ["Knowledge:Connectors:wiki:PageSize"] = "1",
        };
        foreach (var (key, value) in overrides)
        {
            settings[$"Knowledge:Connectors:wiki:{key}"] = value;
        }

        return new SyncHarness(Path.Combine(_work, "index"), settings);
    }
}
