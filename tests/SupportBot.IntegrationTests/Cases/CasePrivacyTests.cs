using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SupportBot.Core.Audit;
using SupportBot.Core.Cases;
using SupportBot.IntegrationTests.Infrastructure;
using SupportBot.IntegrationTests.Slack;
using SupportBot.IntegrationTests.Teams;

namespace SupportBot.IntegrationTests.Cases;

/// <summary>Case data only where it may go, through the real host and the Slack and Bot Framework stand-ins.</summary>
public sealed class CasePrivacyTests
{
    private static readonly string SampleCases = $"Cases:File={CaseOptions.BuiltInCases}"; // also in the default settings; named where it matters

    [Fact]
    public async Task A_lookup_in_a_slack_channel_is_answered_ephemerally_to_the_asker_and_audited()
    {
        await using var slack = await SlackApiStandIn.StartAsync();
        await using var host = await BotHost.StartAsync(SlackRequests.Settings(slack, SampleCases));
        var ts = SlackRequests.NextTs();

        using var request = SlackRequests.Event(SlackRequests.Envelope(SlackRequests.Mention("case 12345", ts)));
        Assert.Equal(HttpStatusCode.OK, (await host.Client.SendAsync(request)).StatusCode);

        var ephemeral = (await slack.WaitForAsync("chat.postEphemeral", c => c.Field("thread_ts") == ts))[0];
        Assert.Equal("UAGENT01", ephemeral.Field("user"));
        Assert.StartsWith("Case 12345:", ephemeral.Field("text"), StringComparison.Ordinal);
        await Task.Delay(300);
        Assert.DoesNotContain(slack.CallsTo("chat.postMessage"), c => c.Field("thread_ts") == ts);

        var entry = Assert.Single(await host.Services.GetRequiredService<IAuditTrail>().ReadAsync(10, CancellationToken.None));
        Assert.Equal(("case.lookup", "12345", "shown-privately", "UAGENT01", "T0001"), (entry.Action, entry.Subject, entry.Outcome, entry.UserId, entry.Tenant));
    }

    [Fact]
    public async Task A_lookup_in_a_slack_dm_is_answered_in_place()
    {
        await using var slack = await SlackApiStandIn.StartAsync();
        await using var host = await BotHost.StartAsync(SlackRequests.Settings(slack, SampleCases));
        var ts = SlackRequests.NextTs();

        using var request = SlackRequests.Event(SlackRequests.Envelope(SlackRequests.Message("case 12345", ts, channelType: "im", channel: "D0DIRECT")));
        await host.Client.SendAsync(request);

        var posted = (await slack.WaitForAsync("chat.postMessage", c => c.Field("channel") == "D0DIRECT"))[0];
        Assert.StartsWith("Case 12345:", posted.Field("text"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_lookup_in_a_teams_channel_goes_to_the_askers_personal_chat()
    {
        await using var botFramework = await BotFrameworkStandIn.StartAsync();
        await using var host = await BotHost.StartAsync(botFramework.HostSettings(SampleCases));

        var activity = TeamsActivities.ChannelMessage(botFramework.ServiceUrl, "<at>SupportBot</at> case 12345", mentionBot: true);
        using (var response = await TeamsActivities.PostAsync(host.Client, activity, botFramework.MintToken()))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        await RedisServer.WaitUntilAsync(() => Task.FromResult(botFramework.ConnectorRequests.Count >= 3), TimeSpan.FromSeconds(20), "no private answer");
        var requests = botFramework.ConnectorRequests.ToList();
        var created = Assert.Single(requests, r => r.RawTarget.EndsWith("/v3/conversations", StringComparison.Ordinal));
        Assert.False(created.Body["isGroup"]!.GetValue<bool>());
        Assert.Equal(TeamsActivities.User, created.Body["members"]![0]!["id"]!.GetValue<string>());

        var privateAnswer = requests.Single(r => r.RawTarget.Contains(Uri.EscapeDataString("19:new-thread@thread.tacv2"), StringComparison.Ordinal) || r.RawTarget.Contains("new-thread", StringComparison.Ordinal));
        Assert.Contains("Case 12345", privateAnswer.Body.ToJsonString(), StringComparison.Ordinal);

        // In the channel: only the note that the answer went privately, never the case.
        var inChannel = requests.Where(r => r != created && r != privateAnswer).ToList();
        Assert.NotEmpty(inChannel);
        Assert.All(inChannel, r => Assert.DoesNotContain("Case 12345", r.Body.ToJsonString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task With_slack_configured_the_sample_cases_and_routes_are_never_used()
    {
        await using var slack = await SlackApiStandIn.StartAsync();
        await using var host = await BotHost.StartAsync([.. SlackRequests.Settings(slack).Where(s => !SlackRequests.SampleData.Contains(s))]);
        var ts = SlackRequests.NextTs();

        using var request = SlackRequests.Event(SlackRequests.Envelope(SlackRequests.Message("case 12345", ts, channelType: "im", channel: "D0DIRECT")));
        await host.Client.SendAsync(request);

        var posted = (await slack.WaitForAsync("chat.postMessage", c => c.Field("channel") == "D0DIRECT"))[0];
        Assert.Equal(CaseLookupService.NotConfiguredText, posted.Field("text"));

        // Nor the sample routes: no escalation may go to their made-up channels.
        var escalate = SlackRequests.NextTs();
        using var escalation = SlackRequests.Event(SlackRequests.Envelope(SlackRequests.Message("escalate to disputes sev2 chargeback evidence", escalate, channelType: "im", channel: "D0DIRECT")));
        await host.Client.SendAsync(escalation);
        var answered = await slack.WaitForAsync("chat.postMessage", c => c.Field("channel") == "D0DIRECT" && c.Field("text") == SupportBot.Core.Escalations.EscalationRoutes.NotSetUpText);
        Assert.Single(answered);
    }

    [Fact]
    public async Task The_slash_command_answers_only_the_asker_and_is_audited()
    {
        await using var slack = await SlackApiStandIn.StartAsync();
        await using var host = await BotHost.StartAsync(SlackRequests.Settings(slack, SampleCases));

        using var request = SlackRequests.Command("/case", "12345");
        using var response = await host.Client.SendAsync(request);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal("ephemeral", body.GetProperty("response_type").GetString());
        Assert.Contains("Case 12345", body.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Equal("shown", Assert.Single(await host.Services.GetRequiredService<IAuditTrail>().ReadAsync(10, CancellationToken.None)).Outcome);
    }
}
