using System.Text.Json.Nodes;
using SupportBot.IntegrationTests.Infrastructure;
using SupportBot.IntegrationTests.Slack;
using SupportBot.IntegrationTests.Teams;

namespace SupportBot.IntegrationTests.Escalations;

/// <summary>
/// A rotation on Teams: people are Entra ID object ids; Microsoft Graph's presence (on the stand-in) says who is away,
/// and the assignee is mentioned in the team's card by the display name Graph gives, with the mention entity Teams needs.
/// </summary>
public sealed class TeamsTriageTests : IAsyncLifetime
{
    private const string RiskChannel = "19:risk-escalations@thread.tacv2";
    private const string Mei = "0b6e3c55-5a0c-4d6e-9f2a-3c1d2e4f5a61";
    private const string Jonas = "1c7f4d66-6b1d-4e7f-8a3b-4d2e3f5a6b72";

    private SlackApiStandIn _slack = null!;
    private BotFrameworkStandIn _teams = null!;
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
                teams: {"{"} serviceUrl: "{_teams.ServiceUrl}", conversation: "{RiskChannel}", tenant: "{BotFrameworkStandIn.Tenant}" {"}"}
                rotation: ["{Mei}", "{Jonas}"]
            """);
    }

    public async Task DisposeAsync()
    {
        await _teams.DisposeAsync();
        await _slack.DisposeAsync();
        File.Delete(_routes);
    }

    private async Task<JsonObject> EscalateAsync(BotHost host, string text)
    {
        var before = _teams.ConnectorRequests.Count(IsNewThread);
        using (var request = SlackRequests.Event(SlackRequests.Envelope(SlackRequests.Mention(text, SlackRequests.NextTs()))))
        {
            (await host.Client.SendAsync(request)).EnsureSuccessStatusCode();
        }

        await RedisServer.WaitUntilAsync(() => Task.FromResult(_teams.ConnectorRequests.Count(IsNewThread) > before), TimeSpan.FromSeconds(20), "no Teams thread was opened");
        var created = _teams.ConnectorRequests.Where(IsNewThread).ElementAt(before);
        return created.Body["activity"]!["attachments"]![0]!["content"]!.AsObject();
    }

    private static bool IsNewThread(ConnectorRequest request) =>
        request.RawTarget.EndsWith("/v3/conversations", StringComparison.Ordinal) && request.Body["isGroup"]?.GetValue<bool>() == true;

    [Fact]
    public async Task The_rotation_skips_people_graph_reports_away_and_the_card_mentions_the_assignee_by_name()
    {
        _teams.UserNames[Mei] = "Mei Tanaka";
        _teams.UserNames[Jonas] = "Jonas <Berg>";
        _teams.Availability[Mei] = "Away";
        await using var host = await BotHost.StartAsync([.. SlackRequests.Settings(_slack), .. _teams.HostSettings(), $"Escalation:RoutesFile={_routes}"]);

        // Mei's turn, but Graph says she is away: Jonas has it, mentioned by name (brackets dropped from the tag).
        var first = await EscalateAsync(host, "escalate to risk sev2 card testing on a merchant");
        var texts = first["body"]!.AsArray().Select(b => b!["text"]?.GetValue<string>()).OfType<string>().ToList();
        Assert.Contains("cc <at>Jonas Berg</at>", texts);
        var mention = Assert.Single(first["msteams"]!["entities"]!.AsArray())!;
        Assert.Equal("mention", mention["type"]!.GetValue<string>());
        Assert.Equal("<at>Jonas Berg</at>", mention["text"]!.GetValue<string>());
        Assert.Equal(Jonas, mention["mentioned"]!["id"]!.GetValue<string>());
        Assert.Equal("Jonas <Berg>", mention["mentioned"]!["name"]!.GetValue<string>());

        // Jonas's own turn next.
        _teams.Availability[Mei] = "Available";
        var second = await EscalateAsync(host, "escalate to risk sev3 fraud pattern on refunds");
        Assert.Equal(Jonas, second["msteams"]!["entities"]![0]!["mentioned"]!["id"]!.GetValue<string>());

        // Mei's turn, she is back, but Graph cannot name her: the mention is left out, the escalation goes ahead.
        _teams.UserNames.TryRemove(Mei, out _);
        var third = await EscalateAsync(host, "escalate to risk sev3 fraud ring");
        Assert.Null(third["msteams"]!["entities"]);
        Assert.Contains("Assigned by rotation", third.ToJsonString(), StringComparison.Ordinal);
    }
}
