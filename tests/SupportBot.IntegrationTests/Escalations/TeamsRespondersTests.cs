using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using SupportBot.IntegrationTests.Infrastructure;
using SupportBot.IntegrationTests.Slack;
using SupportBot.IntegrationTests.Teams;

namespace SupportBot.IntegrationTests.Escalations;

/// <summary>
/// A Teams team that lists responders (an Entra ID group): only its members acknowledge, checked with Microsoft
/// Graph's checkMemberGroups on the stand-in with a Graph token; the refusal reaches the presser privately.
/// </summary>
public sealed partial class TeamsRespondersTests : IAsyncLifetime
{
    private const string RiskChannel = "19:risk-escalations@thread.tacv2";
    private const string RiskLeads = "6a1f0c2e-1111-4000-8000-00000000a11d";
    private const string Presser = "7faf8ab2-3d56-4244-b585-20c8a42ed2b8";

    private SlackApiStandIn _slack = null!;
    private BotFrameworkStandIn _teams = null!;
    private BotHost _host = null!;
    private string _routes = null!;

    public async Task InitializeAsync()
    {
        _slack = await SlackApiStandIn.StartAsync();
        _teams = await BotFrameworkStandIn.StartAsync();
        _routes = Path.Combine(Path.GetTempPath(), $"routes-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(_routes, $"""
            default: risk
            routes:
              - team: risk
                name: Risk & Fraud
                match: [fraud]
                teams: {"{"} serviceUrl: "{_teams.ServiceUrl}", conversation: "{RiskChannel}", tenant: "{BotFrameworkStandIn.Tenant}", responders: ["{RiskLeads}"] {"}"}
            """);
        _host = await BotHost.StartAsync([.. SlackRequests.Settings(_slack), .. _teams.HostSettings(), $"Escalation:RoutesFile={_routes}"]);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _teams.DisposeAsync();
        await _slack.DisposeAsync();
        File.Delete(_routes);
    }

    private JsonObject Press(string value)
    {
        var invoke = TeamsActivities.ChannelMessage(_teams.ServiceUrl, string.Empty, mentionBot: false, threadRoot: "1760000000000");
        invoke["conversation"]!["id"] = "19:new-thread@thread.tacv2;messageid=1760000000000";
        invoke["from"]!["aadObjectId"] = Presser;
        invoke["type"] = "invoke";
        invoke["name"] = "adaptiveCard/action";
        invoke.Remove("text");
        invoke["replyToId"] = "1760000000000";
        invoke["value"] = new JsonObject
        {
            ["action"] = new JsonObject { ["type"] = "Action.Execute", ["verb"] = "escalation.acknowledge", ["data"] = new JsonObject { ["actionId"] = "escalation.acknowledge", ["value"] = value } },
            ["trigger"] = "manual",
        };
        return invoke;
    }

    private async Task<ConnectorRequest> WaitForTeamsAsync(Func<ConnectorRequest, bool> match)
    {
        ConnectorRequest? found = null;
        await RedisServer.WaitUntilAsync(() =>
        {
            found = _teams.ConnectorRequests.FirstOrDefault(match);
            return Task.FromResult(found is not null);
        }, TimeSpan.FromSeconds(20), "the Connector never received the expected request");
        return found!;
    }

    [Fact]
    public async Task Only_members_of_the_entra_id_group_can_acknowledge()
    {
        var root = SlackRequests.NextTs();
        using (var request = SlackRequests.Event(SlackRequests.Envelope(SlackRequests.Mention("escalate to risk sev2 card testing on a merchant", root))))
        {
            await _host.Client.SendAsync(request);
        }

        var created = await WaitForTeamsAsync(r => r.RawTarget.EndsWith("/v3/conversations", StringComparison.Ordinal) && r.Body["isGroup"]?.GetValue<bool>() == true);
        var value = SignedValue().Match(created.Body.ToJsonString()).Groups[1].Value;
        Assert.NotEmpty(value);

        // Not in the group: refused, privately (the presser's personal chat), and nothing changes.
        using (var refused = await TeamsActivities.PostAsync(_host.Client, Press(value), _teams.MintToken()))
        {
            Assert.Equal(System.Net.HttpStatusCode.OK, refused.StatusCode);
        }

        await WaitForTeamsAsync(r => r.Body.ToJsonString().Contains("responders can acknowledge or resolve", StringComparison.Ordinal));
        var check = Assert.Single(_teams.GraphChecks);
        Assert.Equal(Presser, check.User);
        Assert.StartsWith("Bearer bot-token-", check.Authorization, StringComparison.Ordinal);
        Assert.Contains(_teams.TokenForms, f => f["scope"] == "https://graph.microsoft.com/.default");
        Assert.DoesNotContain(_slack.CallsTo("chat.postMessage"), c => c.Field("text")?.Contains("acknowledged by", StringComparison.Ordinal) == true);

        // In the group: acknowledged, and the agent's Slack thread hears of it.
        _teams.GroupMembers[Presser] = [RiskLeads];
        using (await TeamsActivities.PostAsync(_host.Client, Press(value), _teams.MintToken()))
        {
        }

        await _slack.WaitForAsync("chat.postMessage", c => c.Field("thread_ts") == root && c.Field("text")?.Contains("acknowledged by", StringComparison.Ordinal) == true);
    }

    [GeneratedRegex("\"(ESC-[0-9]+~[A-Za-z0-9_-]{22})\"")]
    private static partial Regex SignedValue();
}
