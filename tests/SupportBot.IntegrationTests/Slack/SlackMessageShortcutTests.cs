using System.Net;
using System.Text.Json.Nodes;
using SupportBot.Slack.Interactions;
using static SupportBot.IntegrationTests.Slack.SlackRequests;

namespace SupportBot.IntegrationTests.Slack;

/// <summary>The message shortcuts the manifest declares, chosen on someone's message in a channel.</summary>
public sealed class SlackMessageShortcutTests : SlackHostTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Ask_answers_the_message_in_its_thread_for_whoever_chose_it(bool reply)
    {
        var root = NextTs();
        var ts = reply ? NextTs() : root;
        var response = await SendAsync(Interaction(MessageShortcut(MessageShortcuts.Ask, "How do I respond to a dispute?", ts, reply ? root : null)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = (await Api.WaitForAsync("chat.postMessage", c => c.Field("thread_ts") == root))[0];
        Assert.Equal(Channel, answer.Field("channel"));
        Assert.Contains("dispute", answer.Field("text")!, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(Api.CallsTo("reactions.add"), c => c.Field("timestamp") == ts);
    }

    [Fact]
    public async Task Ask_in_a_channel_the_bot_is_not_in_answers_the_person_directly()
    {
        Api.ScriptError("chat.postMessage", "not_in_channel");
        var ts = NextTs();

        await SendAsync(Interaction(MessageShortcut(MessageShortcuts.Ask, "Why is a payout delayed?", ts)));

        var direct = (await Api.WaitForAsync("chat.postMessage", c => c.Field("channel") == "UAGENT01"))[0];
        Assert.Null(direct.Field("thread_ts"));
        Assert.Contains("payout", direct.Field("text")!, StringComparison.OrdinalIgnoreCase);
        Assert.Single(Api.CallsTo("chat.postMessage"), c => c.Field("channel") == Channel && c.Field("thread_ts") == ts);
    }

    [Fact]
    public async Task Ask_on_a_message_without_text_tells_only_the_person_who_chose_it()
    {
        var ts = NextTs();
        var response = await SendAsync(Interaction(MessageShortcut(MessageShortcuts.Ask, $"<@{SlackApiStandIn.BotUserId}>", ts, responseUrl: Api.ResponseUrl)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var note = await WaitForResponseUrlPostAsync();
        Assert.Equal("ephemeral", note["response_type"]!.GetValue<string>());
        Assert.Contains("no text", note["text"]!.GetValue<string>(), StringComparison.Ordinal);
        await Task.Delay(500);
        Assert.DoesNotContain(Api.CallsTo("chat.postMessage"), c => c.Field("thread_ts") == ts);
    }

    [Fact]
    public async Task Escalate_opens_the_form_for_the_messages_thread_with_its_masked_text_as_the_summary()
    {
        var root = NextTs();
        var response = await SendAsync(Interaction(MessageShortcut(
            MessageShortcuts.Escalate, "Chargeback on card 4242 4242 4242 4242, evidence due tomorrow", NextTs(), root)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var view = View((await Api.WaitForAsync("views.open", _ => true))[0]);
        var origin = JsonNode.Parse(view.GetProperty("private_metadata").GetString()!)!.AsObject();
        Assert.Equal((Channel, root), (origin["channel"]!.GetValue<string>(), origin["thread_ts"]!.GetValue<string>()));
        Assert.Equal("disputes", Element(view, "escalate.team").GetProperty("initial_option").GetProperty("value").GetString());
        var summary = Element(view, "escalate.summary").GetProperty("initial_value").GetString()!;
        Assert.StartsWith("Chargeback on card [card ••••4242]", summary, StringComparison.Ordinal);
        Assert.DoesNotContain("4242 4242 4242 4242", summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_the_form_cannot_open_escalate_suggests_a_team_in_the_messages_thread()
    {
        Api.ScriptError("views.open", "expired_trigger_id");
        var root = NextTs();

        await SendAsync(Interaction(MessageShortcut(MessageShortcuts.Escalate, "Payout po_1Q2w3E failed twice", NextTs(), root)));

        var suggestion = (await Api.WaitForAsync("chat.postMessage", c => c.Field("text")?.StartsWith("This looks like one for", StringComparison.Ordinal) == true))[0];
        Assert.Equal(root, suggestion.Field("thread_ts"));
    }

    private async Task<JsonObject> WaitForResponseUrlPostAsync()
    {
        for (var waited = 0; waited < 100 && Api.ResponseUrlPosts.Count == 0; waited++)
        {
            await Task.Delay(100);
        }

        return Assert.Single(Api.ResponseUrlPosts);
    }
}
