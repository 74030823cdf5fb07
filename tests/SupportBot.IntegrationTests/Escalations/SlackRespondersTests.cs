using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using SupportBot.IntegrationTests.Infrastructure;
using SupportBot.IntegrationTests.Slack;

namespace SupportBot.IntegrationTests.Escalations;

/// <summary>
/// A route that lists responders (a Slack user group): only its members acknowledge or resolve, checked with
/// usergroups.users.list on the Web API stand-in; when the group cannot be read, nobody can.
/// </summary>
public sealed partial class SlackRespondersTests : IAsyncLifetime
{
    private SlackApiStandIn _slack = null!;
    private BotHost _host = null!;
    private string _routes = null!;

    public async Task InitializeAsync()
    {
        _slack = await SlackApiStandIn.StartAsync();
        _slack.UserGroups["S0DISPUTES"] = ["UPRIYA"];
        _routes = Path.Combine(Path.GetTempPath(), $"routes-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(_routes, """
            default: disputes
            routes:
              - team: disputes
                name: Disputes
                match: [dispute, chargeback]
                slack: { channel: C0DISPUTES, responders: [S0DISPUTES] }
              - team: payouts
                name: Payouts
                match: [payout]
                slack: { channel: C0PAYOUTS, responders: [S0GONE] }
            """);
        _host = await BotHost.StartAsync([.. SlackRequests.Settings(_slack), $"Escalation:RoutesFile={_routes}"]);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _slack.DisposeAsync();
        File.Delete(_routes);
    }

    /// <summary>Escalates to <paramref name="team"/> and returns the team thread's ts and its signed button value.</summary>
    private async Task<(string Ts, string Value)> EscalateAsync(string team, string channel)
    {
        var root = SlackRequests.NextTs();
        using (var request = SlackRequests.Event(SlackRequests.Envelope(SlackRequests.Mention($"escalate to {team} sev2 needs a decision today", root))))
        {
            await _host.Client.SendAsync(request);
        }

        var opened = (await _slack.WaitForAsync("chat.postMessage", c => c.Field("channel") == channel))[0];
        var value = SignedValue().Match(opened.Json.GetRawText()).Groups[1].Value;
        Assert.NotEmpty(value);
        return (opened.Answer!["ts"]!.GetValue<string>(), value);
    }

    private async Task PressAsync(string actionId, string value, string channel, string ts, string user)
    {
        var payload = new JsonObject
        {
            ["type"] = "block_actions",
            ["team"] = new JsonObject { ["id"] = "T0001", ["domain"] = "paylane" },
            ["user"] = new JsonObject { ["id"] = user, ["username"] = user.ToLowerInvariant(), ["team_id"] = "T0001" },
            ["container"] = new JsonObject { ["type"] = "message", ["message_ts"] = ts, ["channel_id"] = channel },
            ["channel"] = new JsonObject { ["id"] = channel },
            ["message"] = new JsonObject { ["ts"] = ts, ["text"] = "escalation" },
            ["actions"] = new JsonArray(new JsonObject { ["action_id"] = actionId, ["value"] = value, ["type"] = "button" }),
        };
        using var request = SlackRequests.Interaction(payload);
        await _host.Client.SendAsync(request);
    }

    [Fact]
    public async Task Only_members_of_the_responder_group_can_acknowledge()
    {
        var (ts, value) = await EscalateAsync("disputes", "C0DISPUTES");

        await PressAsync("escalation.acknowledge", value, "C0DISPUTES", ts, "UOUTSIDER");
        var refused = (await _slack.WaitForAsync("chat.postEphemeral", c => c.Field("user") == "UOUTSIDER"))[0];
        Assert.StartsWith("Only Disputes's responders can acknowledge or resolve ESC-", refused.Field("text"), StringComparison.Ordinal);

        await PressAsync("escalation.acknowledge", value, "C0DISPUTES", ts, "UPRIYA");
        await _slack.WaitForAsync("chat.postMessage", c => c.Field("channel") == "C0DISPUTES" && c.Field("text")?.Contains("acknowledged by upriya", StringComparison.Ordinal) == true);
        Assert.Contains(_slack.CallsTo("usergroups.users.list"), c => c.Field("usergroup") == "S0DISPUTES");
    }

    [Fact]
    public async Task When_the_group_cannot_be_read_nobody_can_acknowledge()
    {
        var (ts, value) = await EscalateAsync("payouts", "C0PAYOUTS");

        await PressAsync("escalation.acknowledge", value, "C0PAYOUTS", ts, "UPRIYA");

        await _slack.WaitForAsync("chat.postEphemeral", c => c.Field("user") == "UPRIYA");
        await Task.Delay(300);
        Assert.DoesNotContain(_slack.CallsTo("chat.postMessage"), c => c.Field("text")?.Contains("acknowledged by", StringComparison.Ordinal) == true);
    }

    [GeneratedRegex("\"(ESC-[0-9]+~[A-Za-z0-9_-]{22})\"")]
    private static partial Regex SignedValue();
}
