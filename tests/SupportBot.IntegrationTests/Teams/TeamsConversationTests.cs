using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using SupportBot.Core.Insights;
using SupportBot.IntegrationTests.Infrastructure;

namespace SupportBot.IntegrationTests.Teams;

/// <summary>Teams behaviour end to end: the real host, a Bot Framework stand-in recording what the bot sends.</summary>
public sealed class TeamsConversationTests(TeamsHostFixture fixture) : IClassFixture<TeamsHostFixture>
{
    private BotFrameworkStandIn BotFramework => fixture.BotFramework;

    private static string ConversationId(JsonObject activity) => activity["conversation"]!["id"]!.GetValue<string>();

    private async Task<HttpResponseMessage> PostAsync(JsonObject activity) =>
        await TeamsActivities.PostAsync(fixture.Host.Client, activity, BotFramework.MintToken());

    [Fact]
    public async Task A_personal_question_is_answered_in_the_thread_with_text_and_an_adaptive_card_after_a_typing_indicator()
    {
        var activity = TeamsActivities.Personal(BotFramework.ServiceUrl, "How do I respond to a dispute?");
        var conversationId = ConversationId(activity);
        using var response = await PostAsync(activity);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        // The typing indicator is started first but not awaited, so under load the two may reach the Connector in either order.
        var requests = await fixture.WaitForRequestsAsync(conversationId, 2);
        var typing = requests.Single(r => r.Body["type"]!.GetValue<string>() == "typing");
        Assert.Equal("POST", typing.Method);
        Assert.Equal($"/amer/v3/conversations/{Uri.EscapeDataString(conversationId)}/activities", typing.RawTarget);
        Assert.Equal("typing", typing.Body["type"]!.GetValue<string>());

        var reply = requests.Single(r => r.Body["type"]!.GetValue<string>() == "message");
        Assert.Equal("POST", reply.Method);
        Assert.Equal($"/amer/v3/conversations/{Uri.EscapeDataString(conversationId)}/activities/{activity["id"]}", reply.RawTarget);
        Assert.StartsWith("Bearer bot-token-", reply.Authorization, StringComparison.Ordinal);
        Assert.Equal(activity["id"]!.GetValue<string>(), reply.Body["replyToId"]!.GetValue<string>());
        Assert.Equal(BotFrameworkStandIn.BotId, reply.Body["from"]!["id"]!.GetValue<string>());
        Assert.Equal(TeamsActivities.User, reply.Body["recipient"]!["id"]!.GetValue<string>());

        // The answer is the message's text (an AI message: TeamsAiMessageTests); the card below it has the sources and buttons.
        Assert.Matches(@"\[1\]", reply.Body["text"]!.GetValue<string>());
        var attachment = reply.Body["attachments"]![0]!;
        Assert.Equal("application/vnd.microsoft.card.adaptive", attachment["contentType"]!.GetValue<string>());
        var card = attachment["content"]!;
        Assert.Equal("1.5", card["version"]!.GetValue<string>());
        Assert.Contains("(https://kb.paylane.example/disputes/responding-to-a-dispute)", card.ToJsonString(), StringComparison.Ordinal);
        var verbs = card["actions"]!.AsArray().Select(a => a!["verb"]!.GetValue<string>()).ToList();
        Assert.Equal(["draft.reply", "escalate"], verbs);
        Assert.False(string.IsNullOrWhiteSpace(reply.Body["summary"]?.GetValue<string>()));
    }

    [Fact]
    public async Task A_redelivered_activity_is_answered_once()
    {
        var activity = TeamsActivities.Personal(BotFramework.ServiceUrl, "Why is a payout delayed?");
        using (var first = await PostAsync(activity))
        using (var again = await PostAsync(activity))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        }

        await fixture.WaitForRequestsAsync(ConversationId(activity), 2);
        await Task.Delay(500); // a second answer would arrive about as fast as the first
        Assert.Single(fixture.RequestsFor(ConversationId(activity)), r => r.Body["type"]!.GetValue<string>() == "message");
    }

    [Fact]
    public async Task In_a_channel_a_mention_is_answered_with_the_mention_stripped_and_the_thread_then_followed()
    {
        var channelPost = TeamsActivities.ChannelMessage(BotFramework.ServiceUrl, "How do I respond to a dispute?", mentionBot: true);
        var threadRoot = channelPost["id"]!.GetValue<string>();
        var conversationId = ConversationId(channelPost);
        using (var response = await PostAsync(channelPost))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var requests = await fixture.WaitForRequestsAsync(conversationId, 1);
        Assert.Equal($"/amer/v3/conversations/{Uri.EscapeDataString(conversationId)}/activities/{threadRoot}", requests[0].RawTarget);
        Assert.Contains("%3Bmessageid%3D", requests[0].RawTarget, StringComparison.Ordinal);
        // The bot's turn is kept just after its reply is posted; the thread counts as one the bot is in from then on.
        var store = fixture.Host.Services.GetRequiredService<Core.Conversations.IConversationStore>();
        var thread = new Core.Conversations.ConversationRef("teams", TeamsActivities.Channel, threadRoot);
        await RedisServer.WaitUntilAsync(
            async () => (await store.GetHistoryAsync(thread, CancellationToken.None)).Any(t => t.Speaker == Core.Conversations.Speaker.Bot),
            TimeSpan.FromSeconds(20), "the bot's turn was never kept");
        var history = await store.GetHistoryAsync(thread, CancellationToken.None);
        Assert.Equal("How do I respond to a dispute?", history[0].Text);

        // A reply in that thread without a mention: the bot already answered there, so it answers again.
        var followUp = TeamsActivities.ChannelMessage(BotFramework.ServiceUrl, "What evidence should I send?", mentionBot: false, threadRoot: threadRoot);
        using (var response = await PostAsync(followUp))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var afterFollowUp = await fixture.WaitForRequestsAsync(conversationId, 2);
        Assert.EndsWith($"/activities/{followUp["id"]}", afterFollowUp[1].RawTarget, StringComparison.Ordinal);
    }

    [Fact]
    public async Task In_a_channel_a_message_without_a_mention_in_a_thread_the_bot_is_not_in_is_ignored()
    {
        var post = TeamsActivities.ChannelMessage(BotFramework.ServiceUrl, "How do I respond to a dispute?", mentionBot: false);
        using var response = await PostAsync(post);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(await fixture.WasTakenAsync(post));
        await Task.Delay(300);
        Assert.Empty(fixture.RequestsFor(ConversationId(post)));
    }

    [Fact]
    public async Task Helpful_on_a_card_is_an_invoke_answered_with_an_invoke_response_and_recorded()
    {
        var insights = fixture.Host.Services.GetRequiredService<IInsightsStore>();
        var before = await HelpfulCountAsync(insights);
        // A conversation of its own: in a shared one the vote would go to an answer this person may have rated already.
        var invoke = Invoke("feedback.helpful", "a:" + TeamsActivities.NewId(), new JsonObject { ["actionId"] = "feedback.helpful", ["value"] = "answer-" + TeamsActivities.NewId() });
        using var response = await PostAsync(invoke);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal(200, body!["statusCode"]!.GetValue<int>());
        Assert.Equal("application/vnd.microsoft.activity.message", body["type"]!.GetValue<string>());
        Assert.Contains("feedback", body["value"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
        await RedisServer.WaitUntilAsync(async () => await HelpfulCountAsync(insights) == before + 1, TimeSpan.FromSeconds(10), "feedback never recorded");
    }

    [Fact]
    public async Task Escalate_on_a_card_replies_with_the_escalation_form_prefilled()
    {
        var invoke = Invoke("escalate");
        var conversationId = invoke["conversation"]!["id"]!.GetValue<string>();
        using var response = await PostAsync(invoke);

        var body = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal(200, body!["statusCode"]!.GetValue<int>());
        Assert.Equal(CardsVerbsWorking, body["value"]!.GetValue<string>());
        var reply = (await fixture.WaitForRequestsAsync(conversationId, 1)).Single(r => r.Body["type"]!.GetValue<string>() == "message");
        var card = reply.Body["attachments"]![0]!["content"]!;
        Assert.StartsWith("This looks like one for Platform & API (platform), sev3.", card["fallbackText"]!.GetValue<string>(), StringComparison.Ordinal);
        var inputs = card["body"]!.AsArray().Where(b => b!["id"] is not null).ToDictionary(b => b!["id"]!.GetValue<string>(), b => b!);
        Assert.Equal(["team", "severity", "caseId", "summary"], inputs.Keys);
        Assert.Equal("Input.ChoiceSet", inputs["team"]["type"]!.GetValue<string>());
        Assert.Equal("platform", inputs["team"]["value"]!.GetValue<string>());
        Assert.Equal(9, inputs["team"]["choices"]!.AsArray().Count);
        Assert.Equal("sev3", inputs["severity"]["value"]!.GetValue<string>());
        Assert.Equal(@"^\s*#?\d{1,12}\s*$", inputs["caseId"]["regex"]!.GetValue<string>());
        Assert.True(inputs["summary"]["isMultiline"]!.GetValue<bool>());
        var submit = card["actions"]!.AsArray().Single()!;
        Assert.Equal(("Action.Execute", "escalation.submit"), (submit["type"]!.GetValue<string>(), submit["verb"]!.GetValue<string>()));
        Assert.Equal("Action.Submit", submit["fallback"]!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_refused_form_is_answered_with_the_same_card_its_values_kept_and_an_error_line()
    {
        var invoke = Invoke("escalation.submit");
        invoke["value"]!["action"]!["data"] = new JsonObject
        {
            ["actionId"] = "escalation.submit",
            ["team"] = "legal",
            ["severity"] = "sev2",
            ["caseId"] = "12ab",
            ["summary"] = "   ",
        };
        using var response = await PostAsync(invoke);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal(200, body!["statusCode"]!.GetValue<int>());
        Assert.Equal("application/vnd.microsoft.card.adaptive", body["type"]!.GetValue<string>());
        var card = body["value"]!;
        var errors = card["body"]!.AsArray().Where(b => b!["color"]?.GetValue<string>() == "Attention").Select(b => b!["text"]!.GetValue<string>()).ToList();
        Assert.Equal(
            ["Not escalated yet: fix the fields marked below.", "There is no team 'legal'. Pick one from the list.", "A case id is digits only (at most 12), e.g. 12345.", "Say what the team should look at."],
            errors);
        Assert.Equal("12ab", card["body"]!.AsArray().Single(b => b!["id"]?.GetValue<string>() == "caseId")!["value"]!.GetValue<string>());
        Assert.Equal("sev2", card["body"]!.AsArray().Single(b => b!["id"]?.GetValue<string>() == "severity")!["value"]!.GetValue<string>());
        await Task.Delay(300);
        Assert.Empty(fixture.RequestsFor(invoke["conversation"]!["id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_refused_form_sent_with_the_submit_fallback_is_answered_in_the_conversation_with_the_form_again()
    {
        var submit = TeamsActivities.Personal(BotFramework.ServiceUrl, string.Empty);
        submit.Remove("text");
        submit["replyToId"] = "1767765488333";
        submit["value"] = new JsonObject { ["actionId"] = "escalation.submit", ["team"] = "payouts", ["severity"] = "sev9", ["summary"] = "stuck payout" };
        var conversationId = submit["conversation"]!["id"]!.GetValue<string>();
        using var response = await PostAsync(submit);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var reply = (await fixture.WaitForRequestsAsync(conversationId, 1)).Single(r => r.Body["type"]!.GetValue<string>() == "message");
        var card = reply.Body["attachments"]![0]!["content"]!;
        Assert.Equal(
            "Not escalated yet: Payouts works on slack, which is not connected here; escalate to them directly. Pick a severity from sev1 to sev4.",
            card["fallbackText"]!.GetValue<string>());
        Assert.Contains("escalation.submit", card.ToJsonString(), StringComparison.Ordinal);
    }

    private const string CardsVerbsWorking = "On it — the answer follows in the thread.";

    [Fact]
    public async Task An_invoke_the_bot_does_not_handle_is_not_implemented()
    {
        var invoke = Invoke("feedback.helpful");
        invoke["name"] = "composeExtension/selectItem"; // search results carry no tap action, so nothing selects an item
        using var response = await PostAsync(invoke);
        Assert.Equal(HttpStatusCode.NotImplemented, response.StatusCode);
    }

    [Fact]
    public async Task Not_helpful_through_the_submit_fallback_is_recorded()
    {
        var insights = fixture.Host.Services.GetRequiredService<IInsightsStore>();
        var before = await NotHelpfulCountAsync(insights);
        var submit = TeamsActivities.Personal(BotFramework.ServiceUrl, string.Empty);
        submit.Remove("text");
        submit["replyToId"] = "1767765488332";
        submit["value"] = new JsonObject { ["actionId"] = "feedback.not_helpful" };
        using var response = await PostAsync(submit);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await RedisServer.WaitUntilAsync(async () => await NotHelpfulCountAsync(insights) == before + 1, TimeSpan.FromSeconds(10), "feedback never recorded");
    }

    /// <summary>The activity Teams sends when the bot is added to a personal chat.</summary>
    private static JsonObject BotAdded(string serviceUrl, string conversationId) => new()
    {
        ["type"] = "conversationUpdate",
        ["id"] = "f:" + Guid.NewGuid(),
        ["channelId"] = "msteams",
        ["serviceUrl"] = serviceUrl,
        ["from"] = new JsonObject { ["id"] = TeamsActivities.User },
        ["recipient"] = new JsonObject { ["id"] = BotFrameworkStandIn.BotId, ["name"] = "SupportBot" },
        ["conversation"] = new JsonObject { ["id"] = conversationId, ["conversationType"] = "personal", ["tenantId"] = BotFrameworkStandIn.Tenant },
        ["membersAdded"] = new JsonArray(new JsonObject { ["id"] = BotFrameworkStandIn.BotId }),
        ["channelData"] = new JsonObject { ["tenant"] = new JsonObject { ["id"] = BotFrameworkStandIn.Tenant } },
    };

    [Fact]
    public async Task Adding_the_bot_sends_no_welcome_since_its_prompt_starters_introduce_it()
    {
        var conversationId = "a:1" + Guid.NewGuid().ToString("N");
        var update = BotAdded(BotFramework.ServiceUrl, conversationId);
        using var response = await PostAsync(update);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(await fixture.WasTakenAsync(update));
        await Task.Delay(500);
        Assert.Empty(fixture.RequestsFor(conversationId));
    }

    [Fact]
    public async Task With_the_welcome_message_on_adding_the_bot_to_a_chat_sends_a_welcome_to_the_conversation()
    {
        await using var teams = await BotFrameworkStandIn.StartAsync();
        await using var host = await BotHost.StartAsync(teams.HostSettings($"Teams:AllowedTenants={BotFrameworkStandIn.Tenant}", "Teams:WelcomeMessage=true"));
        var conversationId = "a:1" + Guid.NewGuid().ToString("N");
        using var response = await TeamsActivities.PostAsync(host.Client, BotAdded(teams.ServiceUrl, conversationId), teams.MintToken());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        // The typing indicator, then the welcome.
        await RedisServer.WaitUntilAsync(
            () => Task.FromResult(teams.ConnectorRequests.Any(r => r.RawTarget.Contains(Uri.EscapeDataString(conversationId), StringComparison.Ordinal) && r.Body["type"]!.GetValue<string>() == "message")),
            TimeSpan.FromSeconds(20), "the welcome never came");
        var welcome = teams.ConnectorRequests.Single(r => r.RawTarget.Contains(Uri.EscapeDataString(conversationId), StringComparison.Ordinal) && r.Body["type"]!.GetValue<string>() == "message");
        Assert.Equal($"/amer/v3/conversations/{Uri.EscapeDataString(conversationId)}/activities", welcome.RawTarget);
        Assert.Contains("knowledge base", welcome.Body["attachments"]![0]!["content"]!["body"]![0]!["text"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Someone_else_joining_sends_nothing()
    {
        var conversationId = "19:" + Guid.NewGuid().ToString("N") + "@thread.tacv2";
        var update = new JsonObject
        {
            ["type"] = "conversationUpdate",
            ["id"] = "f:" + Guid.NewGuid(),
            ["channelId"] = "msteams",
            ["serviceUrl"] = BotFramework.ServiceUrl,
            ["recipient"] = new JsonObject { ["id"] = BotFrameworkStandIn.BotId },
            ["conversation"] = new JsonObject { ["id"] = conversationId, ["tenantId"] = BotFrameworkStandIn.Tenant },
            ["membersAdded"] = new JsonArray(new JsonObject { ["id"] = "29:someone" }),
        };
        using var response = await PostAsync(update);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(await fixture.WasTakenAsync(update));
    }

    [Fact]
    public async Task Not_helpful_on_a_card_asks_why_in_the_card_and_the_reason_is_kept_with_the_answer()
    {
        var question = TeamsActivities.Personal(BotFramework.ServiceUrl, "Why is a payout delayed?");
        var conversationId = ConversationId(question);
        using (await PostAsync(question))
        {
        }

        await fixture.WaitForRequestsAsync(conversationId, 2);
        // Cards posted with Teams:AiMessages off (and before it) carry Not helpful with the answer's id: its delivery id.
        var answerId = $"{conversationId}|{question["id"]}";

        var notHelpful = Invoke("feedback.not_helpful", conversationId, new JsonObject { ["actionId"] = "feedback.not_helpful", ["value"] = answerId });
        using var asked = await PostAsync(notHelpful);
        var form = (await asked.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("application/vnd.microsoft.card.adaptive", form["type"]!.GetValue<string>());
        var choices = form["value"]!["body"]!.AsArray().Single(b => b!["type"]!.GetValue<string>() == "Input.ChoiceSet")!;
        Assert.Equal(["wrong", "outdated", "incomplete", "not_answered"], choices["choices"]!.AsArray().Select(c => c!["value"]!.GetValue<string>()));
        Assert.Contains("payout", form["value"]!["body"]![0]!["text"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase); // the answer stays on the card
        var send = form["value"]!["actions"]![0]!;

        // The client merges the inputs into the action's data.
        var data = send["data"]!.DeepClone().AsObject();
        data["reason"] = "outdated";
        data["comment"] = "fees changed; IBAN DE89370400440532013000 in the example";
        using var sent = await PostAsync(Invoke(send["verb"]!.GetValue<string>(), conversationId, data));
        var thanks = (await sent.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("application/vnd.microsoft.card.adaptive", thanks["type"]!.GetValue<string>());
        Assert.DoesNotContain("Input.", thanks.ToJsonString(), StringComparison.Ordinal);

        var insights = fixture.Host.Services.GetRequiredService<IInsightsStore>();
        FeedbackRecord? record = null;
        await RedisServer.WaitUntilAsync(async () =>
        {
            record = (await insights.GetSnapshotAsync(50, CancellationToken.None)).Feedback.FirstOrDefault(f => f.AnswerId == answerId && f.Reason is not null);
            return record is not null;
        }, TimeSpan.FromSeconds(10), "the reason was never stored");
        Assert.Equal(("outdated", false, "Why is a payout delayed?"), (record!.Reason, record.Helpful, record.Question));
        Assert.DoesNotContain("DE89370400440532013000", record.Comment, StringComparison.Ordinal);
        Assert.NotEmpty(record.Sources);
    }

    private JsonObject Invoke(string verb, string conversationId, JsonObject data)
    {
        var invoke = Invoke(verb);
        invoke["conversation"]!["id"] = conversationId;
        invoke["value"]!["action"]!["data"] = data;
        return invoke;
    }

    private JsonObject Invoke(string verb)
    {
        var invoke = TeamsActivities.Personal(BotFramework.ServiceUrl, string.Empty);
        invoke["type"] = "invoke";
        invoke["name"] = "adaptiveCard/action";
        invoke.Remove("text");
        invoke["replyToId"] = "1767765488332";
        invoke["value"] = new JsonObject
        {
            ["action"] = new JsonObject { ["type"] = "Action.Execute", ["verb"] = verb, ["data"] = new JsonObject { ["actionId"] = verb } },
            ["trigger"] = "manual",
        };
        return invoke;
    }

    private static async Task<long> HelpfulCountAsync(IInsightsStore insights) => (await insights.GetSnapshotAsync(0, CancellationToken.None)).Totals.Helpful;

    private static async Task<long> NotHelpfulCountAsync(IInsightsStore insights) => (await insights.GetSnapshotAsync(0, CancellationToken.None)).Totals.NotHelpful;
}
