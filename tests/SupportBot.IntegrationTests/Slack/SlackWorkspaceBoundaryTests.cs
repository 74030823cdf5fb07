using System.Net;
using System.Text.Json.Nodes;
using SupportBot.IntegrationTests.Infrastructure;
using static SupportBot.IntegrationTests.Slack.SlackRequests;

namespace SupportBot.IntegrationTests.Slack;

/// <summary>
/// Requests correctly signed for our app but sent from another workspace, another organisation's user in a
/// Slack Connect channel, or too many from one workspace: refused, through the real host and the Web API stand-in.
/// </summary>
public sealed class SlackWorkspaceBoundaryTests : SlackHostTests
{
    private static JsonObject FromTeam(JsonObject envelope, string team, string? enterprise = null)
    {
        envelope["team_id"] = team;
        envelope["authorizations"]!.AsArray()[0]!["team_id"] = team;
        if (enterprise is not null)
        {
            envelope["enterprise_id"] = enterprise;
        }

        return envelope;
    }

    private async Task AnsweredAsync(string ts, BotHost? host = null) =>
        await Api.WaitForAsync("chat.postMessage", c => c.Field("thread_ts") == ts);

    /// <summary>A question from the allowed workspace, answered: everything sent before it has been handled.</summary>
    private async Task SettleAsync(BotHost? host = null)
    {
        var marker = NextTs();
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(Event(Envelope(Mention("How do chargebacks work?", marker))), host)).StatusCode);
        await AnsweredAsync(marker, host);
        await Task.Delay(300);
    }

    [Fact]
    public async Task An_event_signed_for_our_app_from_another_workspace_is_not_answered()
    {
        var ts = NextTs();
        var response = await SendAsync(Event(FromTeam(Envelope(Mention("How do I respond to a dispute?", ts)), "T0FOREIGN")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode); // acknowledged, so Slack does not retry it
        await SettleAsync();
        Assert.DoesNotContain(Api.CallsTo("chat.postMessage"), c => c.Field("thread_ts") == ts);
        Assert.DoesNotContain(Api.CallsTo("reactions.add"), c => c.Field("timestamp") == ts);
    }

    [Fact]
    public async Task The_default_allowed_workspace_is_the_one_auth_test_names()
    {
        // T0001 is what the stand-in's auth.test answers; nothing was configured.
        var ts = NextTs();
        await SendAsync(Event(Envelope(Mention("How do I respond to a dispute?", ts))));
        await AnsweredAsync(ts);
        Assert.NotEmpty(Api.CallsTo("auth.test"));
    }

    [Fact]
    public async Task A_workspace_of_an_allowed_enterprise_grid_org_is_answered_and_others_are_not()
    {
        await using var grid = await BotHost.StartAsync(Settings(Api, "Slack:AllowedTeams=E0PAYLANE"));
        var inOrg = NextTs();
        var outside = NextTs();
        await SendAsync(Event(FromTeam(Envelope(Mention("How do I respond to a dispute?", outside)), "T0001")), grid);
        await SendAsync(Event(FromTeam(Envelope(Mention("How do I respond to a dispute?", inOrg)), "T0EMEA", "E0PAYLANE")), grid);

        await AnsweredAsync(inOrg, grid);
        await Task.Delay(500);
        Assert.DoesNotContain(Api.CallsTo("chat.postMessage"), c => c.Field("thread_ts") == outside);
    }

    [Fact]
    public async Task A_slash_command_from_another_workspace_is_refused_with_a_note()
    {
        var request = Command("/case", "12345");
        var body = await request.Content!.ReadAsStringAsync();
        var foreign = SignedRequest("/slack/commands", body.Replace("team_id=T0001", "team_id=T0FOREIGN", StringComparison.Ordinal), "application/x-www-form-urlencoded");
        request.Dispose();

        var response = await SendAsync(foreign);
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("does not serve this workspace", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Case 12345", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_button_pressed_in_another_workspace_does_nothing()
    {
        var ts = NextTs();
        var payload = new JsonObject
        {
            ["type"] = "block_actions",
            ["team"] = new JsonObject { ["id"] = "T0FOREIGN", ["domain"] = "elsewhere" },
            ["user"] = new JsonObject { ["id"] = "UOUTSIDER", ["name"] = "outsider", ["team_id"] = "T0FOREIGN" },
            ["trigger_id"] = "1.2.trigger",
            ["container"] = new JsonObject { ["type"] = "message", ["channel_id"] = Channel, ["message_ts"] = ts },
            ["channel"] = new JsonObject { ["id"] = Channel },
            ["message"] = new JsonObject { ["ts"] = ts, ["thread_ts"] = ts },
            ["actions"] = new JsonArray(new JsonObject { ["action_id"] = "draft.reply", ["value"] = "draft.reply", ["type"] = "button" }),
        };

        Assert.Equal(HttpStatusCode.OK, (await SendAsync(Interaction(payload))).StatusCode);
        await SettleAsync();
        Assert.DoesNotContain(Api.CallsTo("chat.postMessage"), c => c.Field("thread_ts") == ts);
    }

    [Fact]
    public async Task A_slack_connect_user_of_another_organisation_is_not_answered_unless_allowed()
    {
        var ts = NextTs();
        var guest = Mention("How do I respond to a dispute?", ts);
        guest["user"] = "UGUEST01";
        guest["user_team"] = "T0PARTNER";
        await SendAsync(Event(Envelope(guest)));
        await SettleAsync();
        Assert.DoesNotContain(Api.CallsTo("chat.postMessage"), c => c.Field("thread_ts") == ts);

        await using var open = await BotHost.StartAsync(Settings(Api, "Slack:AnswerExternalUsers=true"));
        var again = NextTs();
        var guestAgain = Mention("How do I respond to a dispute?", again);
        guestAgain["user"] = "UGUEST01";
        guestAgain["user_team"] = "T0PARTNER";
        await SendAsync(Event(Envelope(guestAgain)), open);
        await AnsweredAsync(again, open);
    }

    [Fact]
    public async Task A_workspace_over_its_rate_is_answered_429_so_that_slack_retries_later()
    {
        await using var limited = await BotHost.StartAsync(Settings(Api, "Slack:WorkspaceRequestsPerMinute=2"));
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            var response = await SendAsync(Event(Envelope(Mention("How do I respond to a dispute?", NextTs()))), limited);
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.Equal("60", response.Headers.RetryAfter?.ToString());
            }
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
    }
}
