using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using SupportBot.Core.Escalations;
using SupportBot.IntegrationTests.Infrastructure;
using static SupportBot.IntegrationTests.Slack.SlackRequests;

namespace SupportBot.IntegrationTests.Slack;

/// <summary>
/// The escalation form on Slack over real HTTP: <c>/escalate</c> and the Escalate button open the modal
/// (<c>views.open</c> on the Web API stand-in), its <c>view_submission</c> is refused field by field or
/// starts the escalation in the owning team's channel. Built-in routes: nine teams, two of them on Teams
/// (not connected here).
/// </summary>
public sealed class SlackEscalationFormTests : SlackHostTests
{
    private static readonly string[] RouteTeams = ["payments", "payouts", "disputes", "risk", "connect", "billing", "tax", "identity", "platform"];

    [Fact]
    public async Task The_command_opens_the_form_prefilled_with_the_routes_teams()
    {
        var clock = Stopwatch.StartNew();
        var response = await SendAsync(Command("/escalate", "disputes sev2 evidence for case 12346 is due today"));
        clock.Stop();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsStringAsync());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"answered after {clock.Elapsed}");
        var call = Assert.Single(Api.CallsTo("views.open"));
        Assert.Equal("Bearer " + BotToken, call.Authorization);
        Assert.StartsWith("application/json", call.ContentType, StringComparison.Ordinal);
        Assert.Equal("1.2.trigger", call.Field("trigger_id"));

        var view = View(call);
        Assert.Equal("modal", view.GetProperty("type").GetString());
        Assert.Equal("escalate", view.GetProperty("callback_id").GetString());
        Assert.Equal(Channel, JsonDocument.Parse(view.GetProperty("private_metadata").GetString()!).RootElement.GetProperty("channel").GetString());
        var team = Element(view, "escalate.team");
        Assert.Equal(RouteTeams, team.GetProperty("options").EnumerateArray().Select(o => o.GetProperty("value").GetString()));
        Assert.Equal("disputes", team.GetProperty("initial_option").GetProperty("value").GetString());
        var severity = Element(view, "escalate.severity");
        Assert.Equal(["sev1", "sev2", "sev3", "sev4"], severity.GetProperty("options").EnumerateArray().Select(o => o.GetProperty("value").GetString()));
        Assert.Equal("sev2", severity.GetProperty("initial_option").GetProperty("value").GetString());
        Assert.Equal("12346", Element(view, "escalate.case").GetProperty("initial_value").GetString());
        Assert.Equal("evidence for case 12346 is due today", Element(view, "escalate.summary").GetProperty("initial_value").GetString());
        Assert.Empty(Api.CallsTo("chat.postMessage"));
    }

    [Theory]
    [InlineData("expired_trigger_id", "Slack's three seconds to open it ran out")]
    [InlineData("invalid_arguments", "Slack answered `invalid_arguments`")]
    public async Task When_the_form_cannot_open_the_user_is_told_why_and_what_to_do(string error, string why)
    {
        Api.ScriptError("views.open", error);

        var response = await SendAsync(Command("/escalate", "disputes"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("ephemeral", answer.GetProperty("response_type").GetString());
        Assert.Equal($"I couldn't open the escalation form: {why}. Run `/escalate` again; if it keeps failing, mention me in the conversation's thread with `escalate to TEAM [sev1–sev4] [reason]`.", answer.GetProperty("text").GetString());
    }

    [Fact]
    public async Task A_wrong_submission_keeps_the_form_open_with_a_message_under_each_field()
    {
        var response = await SendAsync(Interaction(Submission("V0WRONG", team: "legal", severity: "sev2", caseId: "12ab", summary: null, new JsonObject { ["channel"] = Channel })));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("errors", answer["response_action"]!.GetValue<string>());
        var errors = answer["errors"]!.AsObject();
        Assert.Equal(["escalate.team", "escalate.case", "escalate.summary"], errors.Select(e => e.Key));
        Assert.Equal("There is no team 'legal'. Pick one from the list.", errors["escalate.team"]!.GetValue<string>());
        Assert.Equal("A case id is digits only (at most 12), e.g. 12345.", errors["escalate.case"]!.GetValue<string>());
        Assert.Equal("Say what the team should look at.", errors["escalate.summary"]!.GetValue<string>());

        var teamsOnly = await SendAsync(Interaction(Submission("V0TEAMS", "risk", "sev1", null, "card testing", new JsonObject { ["channel"] = Channel })));
        var refused = JsonNode.Parse(await teamsOnly.Content.ReadAsStringAsync())!;
        Assert.Equal("Risk & Fraud works on teams, which is not connected here; escalate to them directly.", refused["errors"]!["escalate.team"]!.GetValue<string>());

        await Task.Delay(300);
        Assert.Empty(Api.CallsTo("chat.postMessage"));
    }

    [Fact]
    public async Task A_valid_submission_closes_the_form_and_escalates_from_a_new_thread_in_the_channel()
    {
        var submission = Submission("V0VALID", "disputes", "sev2", " 12346 ", "Evidence for dp_88aa is due today; card 4242 4242 4242 4242 on file", new JsonObject { ["channel"] = Channel });

        var response = await SendAsync(Interaction(submission));
        var again = await SendAsync(Interaction(submission)); // a second click on Submit

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsStringAsync());
        Assert.Empty(await again.Content.ReadAsStringAsync());

        // The requester's thread: a new message in the channel the command came from.
        var root = (await Api.WaitForAsync("chat.postMessage", c => c.Field("channel") == Channel && c.Field("thread_ts") is null))[0];
        Assert.Equal("agent is escalating to Disputes (sev2):\nEvidence for dp_88aa is due today; card [card ••••4242] on file", root.Field("text"));

        // The team's thread, with the summary, masked case facts and a link to the requester's thread.
        var team = (await Api.WaitForAsync("chat.postMessage", c => c.Field("channel") == "C0DISPUTES"))[0];
        var text = team.Field("text")!;
        Assert.StartsWith("ESC-1001 · sev2 · escalated to Disputes by agent", text, StringComparison.Ordinal);
        Assert.Contains("Problem: Evidence for dp_88aa is due today; card [card ••••4242] on file", text, StringComparison.Ordinal);
        Assert.Contains("Case: 12346", text, StringComparison.Ordinal);
        Assert.Contains($"Origin thread: https://paylane-support.slack.example/archives/{Channel}/p", text, StringComparison.Ordinal);
        Assert.DoesNotContain("4242 4242 4242 4242", text, StringComparison.Ordinal);

        // The confirmation in the requester's thread, and the escalation stored with both threads.
        var confirmation = (await Api.WaitForAsync("chat.postMessage", c => c.Field("text")?.StartsWith("Escalated to Disputes as ESC-1001 (sev2).", StringComparison.Ordinal) == true))[0];
        Assert.Equal(Channel, confirmation.Field("channel"));
        var stored = await Bot.Services.GetRequiredService<IEscalationStore>().GetAsync("ESC-1001", CancellationToken.None);
        Assert.NotNull(stored);
        Assert.Equal(("disputes", Severity.Sev2, "12346", "agent"), (stored.Team, stored.Severity, stored.CaseId, stored.Requester));
        Assert.Equal(confirmation.Field("thread_ts"), stored.Origin.Conversation.Thread);
        Assert.Equal("C0DISPUTES", stored.Target!.Conversation.Channel);

        await Task.Delay(500);
        Assert.Single(Api.CallsTo("chat.postMessage"), c => c.Field("channel") == "C0DISPUTES");
    }

    [Fact]
    public async Task Without_access_to_the_channel_the_requesters_thread_is_a_direct_message()
    {
        Api.ScriptError("chat.postMessage", "not_in_channel");

        var response = await SendAsync(Interaction(Submission("V0DM", "payouts", "sev3", null, "Payout po_1Q2w3E failed twice", new JsonObject { ["channel"] = "C0PRIVATE" })));

        Assert.Empty(await response.Content.ReadAsStringAsync());
        var direct = (await Api.WaitForAsync("chat.postMessage", c => c.Field("channel") == "UAGENT01" && c.Field("thread_ts") is null))[0];
        Assert.StartsWith("agent is escalating to Payouts (sev3)", direct.Field("text"), StringComparison.Ordinal);
        await Api.WaitForAsync("chat.postMessage", c => c.Field("channel") == "C0PAYOUTS");
        var confirmation = (await Api.WaitForAsync("chat.postMessage", c => c.Field("text")?.StartsWith("Escalated to Payouts as", StringComparison.Ordinal) == true))[0];
        Assert.Equal("UAGENT01", confirmation.Field("channel"));
        Assert.NotNull(confirmation.Field("thread_ts"));
    }

    [Fact]
    public async Task The_escalate_button_opens_the_form_for_its_thread_and_the_confirmation_goes_there()
    {
        var root = NextTs();
        await SendEventAsync(Mention("The merchant got a chargeback with evidence due tomorrow — what do I do?", root));
        await Api.WaitForAsync("chat.postMessage", c => c.Field("thread_ts") == root);

        var pressed = await SendAsync(Interaction(EscalateButton(root)));

        Assert.Equal(HttpStatusCode.OK, pressed.StatusCode);
        var view = View((await Api.WaitForAsync("views.open", _ => true))[0]);
        var origin = JsonNode.Parse(view.GetProperty("private_metadata").GetString()!)!.AsObject();
        Assert.Equal((Channel, root), (origin["channel"]!.GetValue<string>(), origin["thread_ts"]!.GetValue<string>()));
        Assert.Equal("disputes", Element(view, "escalate.team").GetProperty("initial_option").GetProperty("value").GetString());
        Assert.StartsWith("The merchant got a chargeback", Element(view, "escalate.summary").GetProperty("initial_value").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Api.CallsTo("chat.postMessage"), c => c.Field("text")?.StartsWith("This looks like one for", StringComparison.Ordinal) == true);

        await SendAsync(Interaction(Submission("V0BUTTON", "disputes", "sev3", null, "Evidence due tomorrow", origin)));

        var confirmation = (await Api.WaitForAsync("chat.postMessage", c => c.Field("text")?.StartsWith("Escalated to Disputes as", StringComparison.Ordinal) == true))[0];
        Assert.Equal(root, confirmation.Field("thread_ts"));
        Assert.DoesNotContain(Api.CallsTo("chat.postMessage"), c => c.Field("text")?.Contains("is escalating to", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task When_the_form_cannot_open_the_escalate_button_suggests_a_team_in_the_thread()
    {
        Api.ScriptError("views.open", "expired_trigger_id");
        var root = NextTs();

        await SendAsync(Interaction(EscalateButton(root)));

        var suggestion = (await Api.WaitForAsync("chat.postMessage", c => c.Field("text")?.StartsWith("This looks like one for", StringComparison.Ordinal) == true))[0];
        Assert.Equal(root, suggestion.Field("thread_ts"));
        Assert.Contains("escalation.confirm", suggestion.Body, StringComparison.Ordinal);
    }

    private async Task SendEventAsync(JsonObject ev)
    {
        var response = await SendAsync(Event(SlackRequests.Envelope(ev)));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>A click on Escalate under the bot's answer in the thread rooted at <paramref name="root"/>.</summary>
    private static JsonObject EscalateButton(string root) => new()
    {
        ["type"] = "block_actions",
        ["team"] = new JsonObject { ["id"] = "T0001", ["domain"] = "paylane" },
        ["user"] = new JsonObject { ["id"] = "UAGENT01", ["username"] = "agent", ["team_id"] = "T0001" },
        ["api_app_id"] = "A0001",
        ["container"] = new JsonObject { ["type"] = "message", ["message_ts"] = "1700000000.000900", ["channel_id"] = Channel, ["is_ephemeral"] = false },
        ["trigger_id"] = "2.3.trigger",
        ["channel"] = new JsonObject { ["id"] = Channel, ["name"] = "support" },
        ["message"] = new JsonObject { ["ts"] = "1700000000.000900", ["thread_ts"] = root, ["text"] = "answer" },
        ["response_url"] = "https://hooks.slack.invalid/actions/T0001/1/x",
        ["actions"] = new JsonArray(new JsonObject { ["action_id"] = "escalate", ["block_id"] = "supportbot.actions", ["value"] = "escalate", ["type"] = "button", ["action_ts"] = "1700000001.000001" }),
    };

    /// <summary>A <c>view_submission</c> of the escalation modal, shaped like Slack's (state values by block and action id).</summary>
    private static JsonObject Submission(string viewId, string? team, string? severity, string? caseId, string? summary, JsonObject origin)
    {
        static JsonObject Selected(string? value) => new()
        {
            ["type"] = "static_select",
            ["selected_option"] = value is null ? null : new JsonObject { ["text"] = new JsonObject { ["type"] = "plain_text", ["text"] = value }, ["value"] = value },
        };

        static JsonObject Typed(string? value) => new() { ["type"] = "plain_text_input", ["value"] = value };

        return new JsonObject
        {
            ["type"] = "view_submission",
            ["team"] = new JsonObject { ["id"] = "T0001", ["domain"] = "paylane-support" },
            ["user"] = new JsonObject { ["id"] = "UAGENT01", ["username"] = "agent", ["name"] = "agent", ["team_id"] = "T0001" },
            ["api_app_id"] = "A0001",
            ["token"] = "legacy",
            ["trigger_id"] = "3.4.trigger",
            ["view"] = new JsonObject
            {
                ["id"] = viewId,
                ["team_id"] = "T0001",
                ["type"] = "modal",
                ["callback_id"] = "escalate",
                ["private_metadata"] = origin.ToJsonString(),
                ["state"] = new JsonObject
                {
                    ["values"] = new JsonObject
                    {
                        ["escalate.team"] = new JsonObject { ["team"] = Selected(team) },
                        ["escalate.severity"] = new JsonObject { ["severity"] = Selected(severity) },
                        ["escalate.case"] = new JsonObject { ["case_id"] = Typed(caseId) },
                        ["escalate.summary"] = new JsonObject { ["summary"] = Typed(summary) },
                    },
                },
                ["hash"] = "1700000000.abcdef",
                ["title"] = new JsonObject { ["type"] = "plain_text", ["text"] = "Escalate" },
                ["root_view_id"] = viewId,
                ["app_id"] = "A0001",
                ["bot_id"] = SlackApiStandIn.BotId,
            },
            ["response_urls"] = new JsonArray(),
        };
    }
}
