using SupportBot.IntegrationTests.Cli;
using SupportBot.IntegrationTests.Infrastructure;

namespace SupportBot.IntegrationTests.Cases;

public sealed class CaseLookupTests
{
    [Fact]
    public async Task A_sample_case_is_shown_with_payment_and_personal_data_masked()
    {
        await using var host = await BotHost.StartAsync();

        var reply = await host.WaitForReplyAsync(await host.SendAsync("case 12346"));

        Assert.Equal("notice", reply.Kind);
        Assert.StartsWith("Case 12346: Dispute dp_88aa", reply.Text, StringComparison.Ordinal);
        Assert.Contains("Priority: urgent", reply.Text, StringComparison.Ordinal);
        Assert.Contains("Assignee: Priya Nair (Disputes)", reply.Text, StringComparison.Ordinal);
        Assert.Contains("[card ••••4242]", reply.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("4242 4242 4242 4242", reply.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("lucas@ferreira", reply.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_case_is_said_plainly()
    {
        await using var host = await BotHost.StartAsync();

        var reply = await host.WaitForReplyAsync(await host.SendAsync("case 99999"));

        Assert.Equal("No case 99999 was found.", reply.Text);
    }

    [Fact]
    public async Task Zendesk_tickets_are_read_with_their_comments_and_masked()
    {
        await using var zendesk = await ZendeskStandIn.StartAsync();
        await using var host = await BotHost.StartAsync(
            "Cases:Provider=zendesk", $"Cases:BaseUrl={zendesk.BaseAddress}", $"Cases:Email={ZendeskStandIn.Email}", $"Cases:ApiToken={ZendeskStandIn.Token}");

        var found = await host.WaitForReplyAsync(await host.SendAsync("case 777"));
        var missing = await host.WaitForReplyAsync(await host.SendAsync("case 778"));

        Assert.StartsWith("Case 777: Instant payout missing", found.Text, StringComparison.Ordinal);
        Assert.Contains("Status: open · Priority: urgent · Product: payouts · Assignee: Kai Agent", found.Text, StringComparison.Ordinal);
        Assert.Contains("Requester: Jo Merchant (j•••@merchant.example)", found.Text, StringComparison.Ordinal);
        // Zendesk's internal note (public: false) is never shown; the public comment is.
        Assert.DoesNotContain("Checking with payouts", found.Text, StringComparison.Ordinal);
        Assert.Contains("Jo Merchant: My instant payout", found.Text, StringComparison.Ordinal);
        Assert.Contains("[card ••••5556]", found.Text, StringComparison.Ordinal);
        Assert.Equal("No case 778 was found.", missing.Text);
    }

    [Fact]
    public async Task A_zendesk_outage_is_a_clear_message_not_an_error()
    {
        await using var zendesk = await ZendeskStandIn.StartAsync();
        zendesk.FailWith = 503;
        await using var host = await BotHost.StartAsync(
            "Cases:Provider=zendesk", $"Cases:BaseUrl={zendesk.BaseAddress}", $"Cases:Email={ZendeskStandIn.Email}", $"Cases:ApiToken={ZendeskStandIn.Token}");

        var reply = await host.WaitForReplyAsync(await host.SendAsync("case 777"));

        Assert.StartsWith("Case lookup is unavailable right now: Zendesk answered 503.", reply.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wrong_zendesk_credentials_are_reported_as_unavailable()
    {
        await using var zendesk = await ZendeskStandIn.StartAsync();
        await using var host = await BotHost.StartAsync(
            "Cases:Provider=zendesk", $"Cases:BaseUrl={zendesk.BaseAddress}", $"Cases:Email={ZendeskStandIn.Email}", "Cases:ApiToken=wrong");

        var reply = await host.WaitForReplyAsync(await host.SendAsync("case 777"));

        Assert.Contains("Zendesk answered 401", reply.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Zendesk_without_credentials_stops_start_up_naming_the_keys()
    {
        var result = await CliRunner.RunAsync("ask", "hello", "--Cases:Provider=zendesk");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Cases:BaseUrl", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("Cases:ApiToken", result.Stderr, StringComparison.Ordinal);
    }
}
