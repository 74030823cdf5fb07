using SupportBot.IntegrationTests.Infrastructure;

namespace SupportBot.IntegrationTests.Knowledge.Connectors;

public sealed class ZendeskConnectorTests : IAsyncLifetime
{
    private readonly string _work = Path.Combine(Path.GetTempPath(), "supportbot-tests", Guid.NewGuid().ToString("N"));
    private HelpCenterStandIn _zendesk = null!;

    public async Task InitializeAsync()
    {
        _zendesk = await HelpCenterStandIn.StartAsync();
        _zendesk.Put(1, "Responding to a chargeback", "<h1>Deadlines</h1><p>Respond to a chargeback within 7 days with evidence.</p>", section: 10, updatedAt: 1_700_000_100);
        _zendesk.Put(2, "Payout schedules", "<p>Payouts run daily at 14:00 UTC.</p>", section: 20, updatedAt: 1_700_000_200);
        _zendesk.Put(3, "Unfinished draft", "<p>Not ready.</p>", section: 10, updatedAt: 1_700_000_300, draft: true);
        _zendesk.Translations[1] = [new HelpCenterArticle(1, "Auf eine Rückbuchung antworten", "<p>Antworten Sie innerhalb von 7 Tagen.</p>", 10, "de", 1_700_000_150, false, "https://help.example/hc/de/articles/1")];
    }

    [Fact]
    public async Task A_first_sync_indexes_every_published_article_with_its_product_area_locale_url_and_source()
    {
        await using var replica = Replica();
        var summary = await replica.RunAsync("helpcenter");

        Assert.True(summary.Full);
        Assert.Equal(3, summary.Added);
        var articles = replica.Articles();
        Assert.Equal(["helpcenter:1", "helpcenter:1/de", "helpcenter:2"], articles.Keys.Order(StringComparer.Ordinal));
        var chargeback = articles["helpcenter:1"];
        Assert.Equal("Responding to a chargeback", chargeback.Title);
        Assert.Equal("disputes", chargeback.Product); // the section's category
        Assert.Equal("https://help.example/hc/en-us/articles/1", chargeback.Url);
        Assert.Equal("helpcenter", chargeback.Source);
        Assert.Equal("en-us", chargeback.Locale);
        Assert.Equal("2023-11-14", chargeback.Updated);
        Assert.Contains("within 7 days", chargeback.Text, StringComparison.Ordinal);
        Assert.Equal("de", articles["helpcenter:1/de"].Locale);
        Assert.Equal("payouts", articles["helpcenter:2"].Product);

        var cursor = replica.Cursor("helpcenter");
        Assert.Null(cursor.Run);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_700_000_300), cursor.Since); // the export's last end_time
        Assert.True(File.Exists(Path.Combine(replica.IndexPath, "sync-helpcenter.json")));
    }

    [Fact]
    public async Task An_incremental_sync_reads_from_the_last_end_time_and_writes_only_what_changed()
    {
        await using var replica = Replica();
        await replica.RunAsync("helpcenter");
        _zendesk.Put(2, "Payout schedules", "<p>Payouts now run twice daily, at 10:00 and 16:00 UTC.</p>", section: 20, updatedAt: 1_700_000_900);
        var before = _zendesk.ExportRequests.Count();

        var summary = await replica.RunAsync("helpcenter");

        Assert.False(summary.Full);
        Assert.Equal(1, summary.Updated);
        Assert.Equal(0, summary.Added);
        Assert.Equal(0, summary.Removed);
        Assert.StartsWith("/api/v2/help_center/incremental/articles?start_time=1700000300", _zendesk.ExportRequests.Skip(before).First(), StringComparison.Ordinal);
        Assert.Contains("twice daily", replica.Articles()["helpcenter:2"].Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_archived_article_leaves_the_index_on_the_next_full_listing_and_a_draft_at_once()
    {
        await using var replica = Replica(("FullSyncEvery", "00:00:00"));
        await replica.RunAsync("helpcenter");

        _zendesk.Articles.TryRemove(2, out _);
        _zendesk.Put(1, "Responding to a chargeback", "<p>Back to draft.</p>", section: 10, updatedAt: 1_700_001_000, draft: true);
        var summary = await replica.RunAsync("helpcenter");

        Assert.True(summary.Full);
        Assert.Equal(2, summary.Removed);
        Assert.Equal(["helpcenter:1/de"], replica.Articles().Keys);
    }

    [Fact]
    public async Task A_429_is_waited_out_as_Retry_After_asks()
    {
        _zendesk.RateLimitNext = 1;
        await using var replica = Replica();
        var observer = new RecordingObserver();

        var summary = await replica.RunAsync("helpcenter", observer);

        Assert.Equal(3, summary.Added);
        Assert.Contains(observer.Waits, w => w.Delay == TimeSpan.FromSeconds(1) && w.Reason.Contains("429", StringComparison.Ordinal));
        var exports = _zendesk.Requests.Where(r => r.Request.Contains("/incremental/", StringComparison.Ordinal)).Take(2).ToList();
        Assert.True(exports[1].At - exports[0].At >= TimeSpan.FromMilliseconds(950), $"retried after {(exports[1].At - exports[0].At).TotalMilliseconds} ms");
    }

    [Fact]
    public async Task An_interrupted_sync_resumes_from_its_cursor_instead_of_starting_over()
    {
        _zendesk.PageSize = 1;
        await using var replica = Replica();
        using var interrupt = new CancellationTokenSource();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => replica.RunAsync("helpcenter", new RecordingObserver(interrupt, pagesBeforeInterrupt: 1), interrupt.Token));
        var cursor = replica.Cursor("helpcenter");
        Assert.NotNull(cursor.Run);
        Assert.Equal("1700000100", cursor.Run.Resume);
        Assert.Equal(["helpcenter:1", "helpcenter:1/de"], replica.Articles().Keys.Order(StringComparer.Ordinal)); // the first page is kept

        var before = _zendesk.ExportRequests.Count();
        var summary = await replica.RunAsync("helpcenter");

        Assert.True(summary.Resumed);
        Assert.True(summary.Full);
        Assert.Equal(1, summary.Added);
        var resumedRequests = _zendesk.ExportRequests.Skip(before).ToList();
        Assert.StartsWith("/api/v2/help_center/incremental/articles?start_time=1700000100", resumedRequests[0], StringComparison.Ordinal);
        Assert.DoesNotContain(resumedRequests, r => r.EndsWith("start_time=0", StringComparison.Ordinal));
        Assert.Equal(["helpcenter:1", "helpcenter:1/de", "helpcenter:2"], replica.Articles().Keys.Order(StringComparer.Ordinal));
        Assert.Null(replica.Cursor("helpcenter").Run);
    }

    [Fact]
    public async Task Wrong_credentials_fail_with_the_status_and_never_the_token()
    {
        await using var replica = Replica(("ApiToken", "wrong-token-value"));

        var failure = await Assert.ThrowsAsync<SupportBot.Knowledge.Connectors.ConnectorException>(() => replica.RunAsync("helpcenter"));

        Assert.Equal(401, failure.Status);
        Assert.DoesNotContain("wrong-token-value", failure.Message, StringComparison.Ordinal);
    }

    public async Task DisposeAsync()
    {
        await _zendesk.DisposeAsync();
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
            ["Knowledge:Connectors:helpcenter:Type"] = "zendesk",
            ["Knowledge:Connectors:helpcenter:BaseUrl"] = _zendesk.BaseAddress.ToString(),
            ["Knowledge:Connectors:helpcenter:Email"] = HelpCenterStandIn.Email,
            ["Knowledge:Connectors:helpcenter:ApiToken"] = HelpCenterStandIn.Token,
            ["Knowledge:Connectors:helpcenter:Locales:0"] = "en-us",
            ["Knowledge:Connectors:helpcenter:Locales:1"] = "de",
            ["Knowledge:Connectors:helpcenter:PageSize"] = "2",
        };
        foreach (var (key, value) in overrides)
        {
            settings[$"Knowledge:Connectors:helpcenter:{key}"] = value;
        }

        return new SyncHarness(Path.Combine(_work, "index"), settings);
    }
}
