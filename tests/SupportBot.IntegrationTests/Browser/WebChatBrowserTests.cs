using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using SupportBot.IntegrationTests.Infrastructure;

namespace SupportBot.IntegrationTests.Browser;

/// <summary>The local web chat in a real headless Chromium (Debian's <c>chromium</c>), driven by Playwright.</summary>
public sealed class WebChatBrowserTests : IAsyncLifetime
{
    private const string ChromiumPath = "/usr/bin/chromium";

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
            // No sandbox as root in CI; no background traffic on an offline machine.
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
    public async Task Asking_in_the_chat_shows_a_cited_answer()
    {
        var page = await _browser.NewPageAsync();
        await page.GotoAsync(new Uri(_host.BaseAddress, "/chat").ToString());

        await page.FillAsync("#question", "How do I respond to a dispute?");
        await page.PressAsync("#question", "Enter");

        var answer = page.Locator("#transcript .reply[data-kind='answer'] .answer").First;
        await answer.WaitForAsync(new LocatorWaitForOptions { Timeout = 20_000 });
        Assert.Contains("[1]", await answer.InnerTextAsync(), StringComparison.Ordinal);

        var sources = page.Locator("#transcript .reply ol.citations li a");
        Assert.True(await sources.CountAsync() >= 1);
        Assert.Contains(
            "https://kb.paylane.example/disputes/responding-to-a-dispute",
            await sources.EvaluateAllAsync<string[]>("links => links.map(a => a.href)"));
        Assert.Equal(0, await page.Locator("#transcript .not-confident").CountAsync());
        await SaveScreenshotAsync(page, "chat");
    }

    [Fact]
    public async Task The_draft_button_shows_a_customer_ready_draft()
    {
        var page = await _browser.NewPageAsync();
        await page.GotoAsync(new Uri(_host.BaseAddress, "/chat").ToString());
        await page.FillAsync("#question", "How do refunds work?");
        await page.PressAsync("#question", "Enter");
        await page.Locator("#transcript .reply[data-kind='answer']").First.WaitForAsync(new LocatorWaitForOptions { Timeout = 20_000 });

        await page.Locator("#transcript button[data-action='draft.reply']").First.ClickAsync();

        var draft = page.Locator("#transcript .reply[data-kind='draft'] .answer").First;
        await draft.WaitForAsync(new LocatorWaitForOptions { Timeout = 20_000 });
        var text = await draft.InnerTextAsync();
        Assert.StartsWith("Draft reply for the merchant", text, StringComparison.Ordinal);
        Assert.Contains("Best regards", text, StringComparison.Ordinal);
        Assert.True(await page.Locator("#transcript button[data-action='draft.reply']").First.IsDisabledAsync());
        await SaveScreenshotAsync(page, "draft");
    }

    [Fact]
    public async Task The_dashboard_lists_what_agents_asked()
    {
        var sent = await _host.SendAsync("What is the capital of France?");
        await _host.WaitForReplyAsync(sent);

        var page = await _browser.NewPageAsync();
        await page.GotoAsync(new Uri(_host.BaseAddress, "/").ToString());

        await page.Locator("#recent-body").GetByText("What is the capital of France?").WaitForAsync(new LocatorWaitForOptions { Timeout = 15_000 });
        await page.Locator("#gaps-list").GetByText("What is the capital of France?").WaitForAsync(new LocatorWaitForOptions { Timeout = 15_000 });
        Assert.Contains("Ready", await page.Locator("#readiness").InnerTextAsync(), StringComparison.Ordinal);
        await SaveScreenshotAsync(page, "dashboard");
    }

    [Fact]
    public async Task Not_helpful_asks_why_and_the_dashboard_shows_the_reason_with_the_question()
    {
        var page = await _browser.NewPageAsync();
        await page.GotoAsync(new Uri(_host.BaseAddress, "/chat").ToString());
        await page.FillAsync("#question", "How do instant payouts work?");
        await page.PressAsync("#question", "Enter");
        await page.Locator("#transcript .reply[data-kind='answer']").First.WaitForAsync(new LocatorWaitForOptions { Timeout = 20_000 });

        await page.Locator("#transcript button[data-action='feedback.not_helpful']").First.ClickAsync();
        var form = page.Locator("#transcript form.feedback-reason").First;
        await form.WaitForAsync(new LocatorWaitForOptions { Timeout = 10_000 });
        await form.GetByLabel("Outdated").CheckAsync();
        await form.Locator("textarea").FillAsync("the limits changed last month");
        await form.GetByRole(AriaRole.Button, new() { Name = "Send" }).ClickAsync();
        await form.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Detached, Timeout = 10_000 });

        var dashboard = await _browser.NewPageAsync();
        await dashboard.GotoAsync(new Uri(_host.BaseAddress, "/").ToString());
        var entry = dashboard.Locator("#feedback-list li").Filter(new() { HasText = "How do instant payouts work?" });
        await entry.WaitForAsync(new LocatorWaitForOptions { Timeout = 15_000 });
        var shown = await entry.InnerTextAsync();
        Assert.Contains("Not helpful · Outdated", shown, StringComparison.Ordinal);
        Assert.Contains("the limits changed last month", shown, StringComparison.Ordinal);
        Assert.Contains("Sources:", shown, StringComparison.Ordinal);
        Assert.Contains("Outdated 1", await dashboard.Locator("#feedback-reasons").InnerTextAsync(), StringComparison.Ordinal);
        await SaveScreenshotAsync(dashboard, "feedback");
    }

    [Fact]
    public async Task Ops_pages_save_channel_settings_and_approve_a_draft_article()
    {
        var page = await _browser.NewPageAsync();
        var errors = new List<string>();
        // The refused save below is a 400 the browser reports; anything else in the console is a fault.
        page.Console += (_, message) => { if (message.Type == "error" && !message.Text.Contains("status of 400", StringComparison.Ordinal)) errors.Add(message.Text); };

        await page.GotoAsync(new Uri(_host.BaseAddress, "/channels").ToString());
        await page.Locator("#source").GetByText("No settings").WaitForAsync(new LocatorWaitForOptions { Timeout = 10_000 });
        await page.FillAsync("#settings", "channels:\n  slack:C0ANSWER:\n    mode: loud\n");
        await page.ClickAsync("#save");
        await page.Locator("#status").GetByText("mode 'loud' is not one of").WaitForAsync(new LocatorWaitForOptions { Timeout = 10_000 });
        await page.FillAsync("#settings", "channels:\n  slack:C0ANSWER:\n    mode: answer\n    dailyCap: 50\n");
        await page.ClickAsync("#save");
        var row = page.Locator("#channels-body tr").Filter(new() { HasText = "slack:C0ANSWER" });
        await row.WaitForAsync(new LocatorWaitForOptions { Timeout = 10_000 });
        Assert.Contains("answer", await row.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("50", await row.InnerTextAsync(), StringComparison.Ordinal);

        var drafts = _host.Services.GetRequiredService<SupportBot.Core.Articles.IArticleDrafts>();
        await drafts.AddAsync(new SupportBot.Core.Articles.ArticleDraft("ESC-2001", "Refunds stuck in pending", "payments", "## Problem\n\nStuck.", "escalation ESC-2001", "omar", DateTimeOffset.UtcNow), default);
        await page.GotoAsync(new Uri(_host.BaseAddress, "/articles").ToString());
        var draft = page.Locator("section.draft[data-id='ESC-2001']");
        await draft.WaitForAsync(new LocatorWaitForOptions { Timeout = 10_000 });
        await draft.GetByRole(AriaRole.Button, new() { Name = "Approve" }).ClickAsync();
        await page.Locator("section.draft[data-id='ESC-2001']").GetByText("Approved by").WaitForAsync(new LocatorWaitForOptions { Timeout = 10_000 });
        Assert.Equal(SupportBot.Core.Articles.DraftStatus.Approved, (await drafts.GetAsync("ESC-2001", default))!.Status);
        Assert.Empty(errors);
        await SaveScreenshotAsync(page, "drafts");
    }

    private static async Task SaveScreenshotAsync(IPage page, string name)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, $"{name}.png"), FullPage = true });
    }
}
