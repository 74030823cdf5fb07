using Microsoft.Playwright;
using SupportBot.IntegrationTests.Infrastructure;

namespace SupportBot.IntegrationTests.Browser;

/// <summary>The analytics page in a real headless Chromium (Debian's <c>chromium</c>): charts drawn, tables filled, no errors.</summary>
public sealed class AnalyticsBrowserTests : IAsyncLifetime
{
    private const string ChromiumPath = "/usr/bin/chromium";
    private static readonly string[] Charts = ["chart-questions", "chart-feedback", "chart-reasons", "chart-escalations"];

    private BotHost _host = null!;
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;

    public async Task InitializeAsync()
    {
        _host = await BotHost.StartAsync();
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task The_analytics_page_draws_its_charts_and_lists_the_gap_clusters()
    {
        await _host.WaitForReplyAsync(await _host.SendAsync("What is the capital of France?"));
        await _host.WaitForReplyAsync(await _host.SendAsync("Which is the capital city of France?"));
        await _host.WaitForReplyAsync(await _host.SendAsync("How do I respond to a dispute?"));

        var page = await _browser.NewPageAsync();
        var errors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                errors.Add(message.Text);
            }
        };
        page.PageError += (_, error) => errors.Add(error);

        await page.GotoAsync(new Uri(_host.BaseAddress, "/analytics").ToString());
        await page.Locator("body[data-state='ready']").WaitForAsync(new LocatorWaitForOptions { Timeout = 15_000 });

        foreach (var id in Charts)
        {
            var drawn = await page.EvaluateAsync<bool>(
                "id => { const canvas = document.getElementById(id); const chart = window.Chart.getChart(canvas); return !!chart && canvas.width > 0 && canvas.height > 0; }", id);
            Assert.True(drawn, $"{id} was not drawn");
        }

        Assert.Equal(3, await page.EvaluateAsync<int>("() => window.Chart.getChart(document.getElementById('chart-questions')).data.datasets.reduce((n, d) => n + d.data.reduce((a, b) => a + b, 0), 0)"));

        var cluster = page.Locator("#gaps-body tr.cluster").Filter(new() { HasText = "What is the capital of France?" });
        await cluster.WaitForAsync(new LocatorWaitForOptions { Timeout = 5_000 });
        Assert.Contains("capital, france", await cluster.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("2", (await cluster.Locator("td.num").InnerTextAsync()).Trim());
        Assert.Equal("1", await page.Locator("#kpi-gaps").InnerTextAsync());

        // The table fallback of the first chart has a row per day.
        Assert.Equal(30, await page.Locator("#table-questions tbody tr").CountAsync());

        // A preset reloads the period; the CSV links follow the filters.
        await page.SelectOptionAsync("#period", "7");
        await page.WaitForFunctionAsync("() => document.body.dataset.state === 'ready' && document.querySelectorAll('#table-questions tbody tr').length === 7");
        var href = await page.Locator("#csv-gaps").GetAttributeAsync("href");
        Assert.Contains("section=gaps", href, StringComparison.Ordinal);
        Assert.Contains("from=", href, StringComparison.Ordinal);

        Assert.Empty(errors);
        await SaveScreenshotAsync(page, "analytics");
    }

    private static async Task SaveScreenshotAsync(IPage page, string name)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, $"{name}.png"), FullPage = true });
    }
}
