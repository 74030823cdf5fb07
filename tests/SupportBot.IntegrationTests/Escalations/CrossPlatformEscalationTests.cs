using System.Text.Json.Nodes;
using SupportBot.IntegrationTests.Infrastructure;
using SupportBot.IntegrationTests.Slack;
using SupportBot.IntegrationTests.Teams;

namespace SupportBot.IntegrationTests.Escalations;

/// <summary>
/// An agent's Slack thread escalated to a team that works in Teams, and back: the real host with both
/// surfaces on, Slack's Web API and Bot Framework (OpenID, token, Connector) as local stand-ins.
/// </summary>
public sealed class CrossPlatformEscalationTests : IAsyncLifetime
{
    private const string RiskChannel = "19:risk-escalations@thread.tacv2";
    private const string AgentsChannel = "CAGENTS01";
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
            default: disputes
            routes:
              - team: disputes
                name: Disputes
                match: [dispute, chargeback]
                slack: {"{"} channel: C0DISPUTES {"}"}
                sla: {"{"} acknowledge: 30m, resolve: 8h {"}"}
              - team: risk
                name: Risk & Fraud
                match: [fraud, "card testing"]
                teams: {"{"} serviceUrl: "{_teams.ServiceUrl}", conversation: "{RiskChannel}", tenant: "{BotFrameworkStandIn.Tenant}" {"}"}
                sla: {"{"} acknowledge: 15m, resolve: 4h {"}"}
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

    [Fact]
    public async Task A_slack_thread_escalated_to_a_teams_team_is_tracked_in_both_threads()
    {
        // The agent asks, then escalates in the same Slack thread.
        var root = SlackRequests.NextTs();
        await SendSlackAsync(SlackRequests.Mention("Possible card testing on case 12346: hundreds of $1 authorizations", root, channel: AgentsChannel));
        await _slack.WaitForAsync("chat.postMessage", c => c.Field("thread_ts") == root);
        await SendSlackAsync(SlackRequests.Mention("escalate to risk sev2 needs a block today", SlackRequests.NextTs(), root, AgentsChannel));

        // Risk works in Teams: a new thread in its channel, with summary, masked case facts and buttons.
        var created = await WaitForTeamsAsync(r => r.RawTarget.EndsWith("/v3/conversations", StringComparison.Ordinal));
        Assert.Equal(RiskChannel, created.Body["channelData"]!["channel"]!["id"]!.GetValue<string>());
        var card = Text(created.Body["activity"]!);
        Assert.Contains("ESC-1001 · sev2 · escalated to Risk & Fraud", card, StringComparison.Ordinal);
        Assert.Contains("Ask: needs a block today", card, StringComparison.Ordinal);
        Assert.Contains("Case 12346", card, StringComparison.Ordinal);
        Assert.Contains("[card ••••4242]", card, StringComparison.Ordinal);
        Assert.DoesNotContain("4242 4242 4242 4242", card, StringComparison.Ordinal);
        Assert.Contains($"https://paylane-support.slack.example/archives/{AgentsChannel}/p{root.Replace(".", string.Empty, StringComparison.Ordinal)}", card, StringComparison.Ordinal);
        Assert.Contains("escalation.acknowledge", card, StringComparison.Ordinal);
        // The buttons carry the escalation's id signed for its team thread.
        var signed = System.Text.RegularExpressions.Regex.Match(created.Body["activity"]!.ToJsonString(), "\"(ESC-1001~[A-Za-z0-9_-]{22})\"").Groups[1].Value;
        Assert.NotEmpty(signed);

        // The origin thread is told where it went.
        var confirmation = (await _slack.WaitForAsync("chat.postMessage", c => c.Field("text")?.StartsWith("Escalated to Risk &amp; Fraud as ESC-1001", StringComparison.Ordinal) == true))[0];
        Assert.Equal(root, confirmation.Field("thread_ts"));
        Assert.Contains("https://teams.microsoft.com/l/message/", confirmation.Field("text"), StringComparison.Ordinal);

        // Risk acknowledges on the card in Teams; the Slack thread hears of it.
        using (var ack = await SendTeamsAsync(ButtonPress("escalation.acknowledge", signed)))
        {
            Assert.Equal(System.Net.HttpStatusCode.OK, ack.StatusCode);
        }

        var acknowledged = (await _slack.WaitForAsync("chat.postMessage", c => c.Field("text")?.StartsWith("ESC-1001 acknowledged by rido", StringComparison.Ordinal) == true))[0];
        Assert.Equal(root, acknowledged.Field("thread_ts"));

        // A reply in the Teams thread reaches the agent; the agent's reply reaches Risk.
        var reply = TeamsActivities.ChannelMessage(_teams.ServiceUrl, "Blocking the BIN range now", mentionBot: false, threadRoot: "1760000000000");
        reply["conversation"]!["id"] = "19:new-thread@thread.tacv2;messageid=1760000000000";
        await SendTeamsAsync(reply);
        var relayed = (await _slack.WaitForAsync("chat.postMessage", c => c.Field("text")?.StartsWith("rido (risk): Blocking the BIN range now", StringComparison.Ordinal) == true))[0];
        Assert.Equal(root, relayed.Field("thread_ts"));
        await SendSlackAsync(SlackRequests.Message("Thanks, merchant informed", SlackRequests.NextTs(), threadTs: root, channel: AgentsChannel));
        await WaitForTeamsAsync(r => Text(r.Body).Contains("Thanks, merchant informed", StringComparison.Ordinal));

        // Risk resolves; both threads say so.
        await SendTeamsAsync(ButtonPress("escalation.resolve", signed));
        await _slack.WaitForAsync("chat.postMessage", c => c.Field("text")?.StartsWith("ESC-1001 resolved by rido", StringComparison.Ordinal) == true);
        await WaitForTeamsAsync(r => Text(r.Body).Contains("ESC-1001 resolved by rido", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_teams_chat_escalated_with_the_form_opens_a_slack_thread()
    {
        var conversationId = "a:" + Guid.NewGuid().ToString("N");
        await SendTeamsAsync(TeamsActivities.Personal(_teams.ServiceUrl, "The merchant has a chargeback with the evidence due today", conversationId: conversationId));
        await WaitForTeamsAsync(r => r.RawTarget.Contains(Uri.EscapeDataString(conversationId), StringComparison.Ordinal) && r.Body["type"]?.GetValue<string>() == "message");

        // "escalate" without a team: the form, with the team suggested from the conversation.
        await SendTeamsAsync(TeamsActivities.Personal(_teams.ServiceUrl, "escalate", conversationId: conversationId));
        var form = await WaitForTeamsAsync(r => Text(r.Body).Contains("escalation.submit", StringComparison.Ordinal));
        var inputs = form.Body["attachments"]![0]!["content"]!["body"]!.AsArray().Where(b => b!["id"] is not null).ToDictionary(b => b!["id"]!.GetValue<string>(), b => b!);
        Assert.Equal("disputes", inputs["team"]["value"]!.GetValue<string>());
        Assert.Equal(["disputes", "risk"], inputs["team"]["choices"]!.AsArray().Select(c => c!["value"]!.GetValue<string>()));
        Assert.Equal("The merchant has a chargeback with the evidence due today", inputs["summary"]["value"]!.GetValue<string>());

        // The agent picks sev2, adds the case, and sends it (Action.Execute); the form is replaced at once.
        using (var sent = await SendTeamsAsync(FormSubmit(conversationId, "disputes", "sev2", "12346", "Evidence due today, merchant needs help")))
        {
            var answer = JsonNode.Parse(await sent.Content.ReadAsStringAsync())!;
            Assert.Equal("application/vnd.microsoft.card.adaptive", answer["type"]!.GetValue<string>());
            Assert.Contains("Escalating to Disputes (sev2)", Text(answer["value"]!), StringComparison.Ordinal);
        }

        var opened = (await _slack.WaitForAsync("chat.postMessage", c => c.Field("channel") == "C0DISPUTES"))[0];
        Assert.Null(opened.Field("thread_ts"));
        Assert.StartsWith("ESC-1001 · sev2 · escalated to Disputes by Megan Bowen", opened.Field("text"), StringComparison.Ordinal);
        Assert.Contains("Problem: Evidence due today, merchant needs help", opened.Field("text"), StringComparison.Ordinal);
        Assert.Contains("Case 12346: Dispute dp_88aa", opened.Field("text"), StringComparison.Ordinal);
        await WaitForTeamsAsync(r => Text(r.Body).Contains("Escalated to Disputes as ESC-1001 (sev2)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_slack_form_escalates_to_a_team_that_works_in_teams()
    {
        using (var command = SlackRequests.Command("/escalate", "card testing on case 12346"))
        using (var answered = await _host.Client.SendAsync(command))
        {
            Assert.Empty(await answered.Content.ReadAsStringAsync());
        }

        var view = (await _slack.WaitForAsync("views.open", _ => true))[0].Json.GetProperty("view");
        var team = view.GetProperty("blocks")[0].GetProperty("element");
        Assert.Equal(["disputes", "risk"], team.GetProperty("options").EnumerateArray().Select(o => o.GetProperty("value").GetString()));
        Assert.Equal("risk", team.GetProperty("initial_option").GetProperty("value").GetString());

        var submission = new JsonObject
        {
            ["type"] = "view_submission",
            ["team"] = new JsonObject { ["id"] = "T0001", ["domain"] = "paylane" },
            ["user"] = new JsonObject { ["id"] = "UAGENT01", ["username"] = "agent", ["name"] = "agent" },
            ["view"] = new JsonObject
            {
                ["id"] = "V0CROSS",
                ["type"] = "modal",
                ["callback_id"] = view.GetProperty("callback_id").GetString(),
                ["private_metadata"] = view.GetProperty("private_metadata").GetString(),
                ["state"] = new JsonObject
                {
                    ["values"] = new JsonObject
                    {
                        ["escalate.team"] = new JsonObject { ["team"] = new JsonObject { ["type"] = "static_select", ["selected_option"] = new JsonObject { ["value"] = "risk" } } },
                        ["escalate.severity"] = new JsonObject { ["severity"] = new JsonObject { ["type"] = "static_select", ["selected_option"] = new JsonObject { ["value"] = "sev1" } } },
                        ["escalate.case"] = new JsonObject { ["case_id"] = new JsonObject { ["type"] = "plain_text_input", ["value"] = "12346" } },
                        ["escalate.summary"] = new JsonObject { ["summary"] = new JsonObject { ["type"] = "plain_text_input", ["value"] = "Hundreds of $1 authorizations" } },
                    },
                },
            },
        };
        using (var submit = SlackRequests.Interaction(submission))
        using (var closed = await _host.Client.SendAsync(submit))
        {
            Assert.Equal(System.Net.HttpStatusCode.OK, closed.StatusCode);
            Assert.Empty(await closed.Content.ReadAsStringAsync());
        }

        var created = await WaitForTeamsAsync(r => r.RawTarget.EndsWith("/v3/conversations", StringComparison.Ordinal));
        Assert.Equal(RiskChannel, created.Body["channelData"]!["channel"]!["id"]!.GetValue<string>());
        var card = Text(created.Body["activity"]!);
        Assert.Contains("ESC-1001 · sev1 · escalated to Risk & Fraud by agent", card, StringComparison.Ordinal);
        Assert.Contains($"Origin thread: https://paylane-support.slack.example/archives/{SlackRequests.Channel}/p", card, StringComparison.Ordinal);
        var confirmation = (await _slack.WaitForAsync("chat.postMessage", c => c.Field("text")?.StartsWith("Escalated to Risk &amp; Fraud as ESC-1001 (sev1)", StringComparison.Ordinal) == true))[0];
        Assert.Equal(SlackRequests.Channel, confirmation.Field("channel"));
        Assert.NotNull(confirmation.Field("thread_ts"));
    }

    /// <summary>The escalation form sent from a Teams chat with <c>Action.Execute</c>: the inputs arrive merged into the action's data.</summary>
    private JsonObject FormSubmit(string conversationId, string team, string severity, string caseId, string summary)
    {
        var invoke = TeamsActivities.Personal(_teams.ServiceUrl, string.Empty, conversationId: conversationId);
        invoke["type"] = "invoke";
        invoke["name"] = "adaptiveCard/action";
        invoke.Remove("text");
        invoke["replyToId"] = "1760000000999";
        invoke["value"] = new JsonObject
        {
            ["action"] = new JsonObject
            {
                ["type"] = "Action.Execute",
                ["verb"] = "escalation.submit",
                ["data"] = new JsonObject { ["actionId"] = "escalation.submit", ["team"] = team, ["severity"] = severity, ["caseId"] = caseId, ["summary"] = summary },
            },
            ["trigger"] = "manual",
        };
        return invoke;
    }

    private static readonly System.Text.Json.JsonSerializerOptions Readable = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static string Text(JsonNode node) => node.ToJsonString(Readable);

    private async Task SendSlackAsync(JsonObject ev)
    {
        using var request = SlackRequests.Event(SlackRequests.Envelope(ev));
        using var response = await _host.Client.SendAsync(request);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
    }

    private Task<HttpResponseMessage> SendTeamsAsync(JsonObject activity) => TeamsActivities.PostAsync(_host.Client, activity, _teams.MintToken());

    /// <summary>An <c>Action.Execute</c> on a card in the escalation's Teams thread (or in a chat).</summary>
    private JsonObject ButtonPress(string verb, string value, string? conversationId = null)
    {
        var invoke = conversationId is null
            ? TeamsActivities.ChannelMessage(_teams.ServiceUrl, string.Empty, mentionBot: false, threadRoot: "1760000000000")
            : TeamsActivities.Personal(_teams.ServiceUrl, string.Empty, conversationId: conversationId);
        if (conversationId is null)
        {
            invoke["conversation"]!["id"] = "19:new-thread@thread.tacv2;messageid=1760000000000";
        }

        invoke["type"] = "invoke";
        invoke["name"] = "adaptiveCard/action";
        invoke.Remove("text");
        invoke["replyToId"] = "1760000000000";
        invoke["value"] = new JsonObject
        {
            ["action"] = new JsonObject { ["type"] = "Action.Execute", ["verb"] = verb, ["data"] = new JsonObject { ["actionId"] = verb, ["value"] = value } },
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
}
