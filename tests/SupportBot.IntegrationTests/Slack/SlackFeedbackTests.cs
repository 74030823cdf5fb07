using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using SupportBot.Core.Insights;
using SupportBot.IntegrationTests.Infrastructure;
using static SupportBot.IntegrationTests.Slack.SlackRequests;

namespace SupportBot.IntegrationTests.Slack;

/// <summary>
/// Feedback tied to the answer on Slack: the buttons carry the answer's id; Not helpful counts at once and opens a
/// modal asking why (views.open on the Web API stand-in); its submission keeps the reason and the masked comment
/// with the answer's masked question and cited sources.
/// </summary>
public sealed class SlackFeedbackTests : SlackHostTests
{
    private async Task<(string ThreadTs, string AnswerId, SlackCall Post)> AskAsync(string question)
    {
        var ts = NextTs();
        await SendAsync(Event(Envelope(Mention(question, ts))));
        var post = (await Api.WaitForAsync("chat.postMessage", c => c.Field("thread_ts") == ts)).Single();
        var notHelpful = post.Json.GetProperty("blocks").EnumerateArray().Single(b => b.GetProperty("type").GetString() == "actions")
            .GetProperty("elements").EnumerateArray().Single(e => e.GetProperty("action_id").GetString() == "feedback.not_helpful");
        return (ts, notHelpful.GetProperty("value").GetString()!, post);
    }

    private static JsonObject Click(string actionId, string value, string threadTs, string user, string trigger) => new()
    {
        ["type"] = "block_actions",
        ["team"] = new JsonObject { ["id"] = "T0001" },
        ["user"] = new JsonObject { ["id"] = user, ["username"] = "agent", ["team_id"] = "T0001" },
        ["container"] = new JsonObject { ["type"] = "message", ["message_ts"] = NextTs(), ["channel_id"] = Channel },
        ["trigger_id"] = trigger,
        ["channel"] = new JsonObject { ["id"] = Channel },
        ["message"] = new JsonObject { ["ts"] = NextTs(), ["thread_ts"] = threadTs, ["text"] = "answer" },
        ["actions"] = new JsonArray(new JsonObject { ["action_id"] = actionId, ["value"] = value, ["type"] = "button" }),
    };

    private static JsonObject Submission(string viewId, string metadata, string? reason, string comment, string user = "UAGENT02")
    {
        var values = new JsonObject
        {
            ["comment"] = new JsonObject { ["comment"] = new JsonObject { ["type"] = "plain_text_input", ["value"] = comment } },
        };
        values["reason"] = new JsonObject
        {
            ["reason"] = reason is null
                ? new JsonObject { ["type"] = "radio_buttons", ["selected_option"] = null }
                : new JsonObject { ["type"] = "radio_buttons", ["selected_option"] = new JsonObject { ["value"] = reason } },
        };
        return new JsonObject
        {
            ["type"] = "view_submission",
            ["team"] = new JsonObject { ["id"] = "T0001" },
            ["user"] = new JsonObject { ["id"] = user, ["username"] = "agent2", ["team_id"] = "T0001" },
            ["view"] = new JsonObject
            {
                ["id"] = viewId,
                ["callback_id"] = "feedback_reason",
                ["private_metadata"] = metadata,
                ["state"] = new JsonObject { ["values"] = values },
            },
        };
    }

    [Fact]
    public async Task Not_helpful_asks_why_and_the_reason_and_masked_comment_are_kept_with_the_answer()
    {
        var (threadTs, answerId, _) = await AskAsync("How do I respond to a dispute?");
        var insights = Bot.Services.GetRequiredService<IInsightsStore>();

        Assert.Equal(HttpStatusCode.OK, (await SendAsync(Interaction(Click("feedback.not_helpful", answerId, threadTs, "UAGENT02", "7.7.trigger")))).StatusCode);

        var open = Assert.Single(Api.CallsTo("views.open"));
        Assert.Equal("7.7.trigger", open.Field("trigger_id"));
        var view = View(open);
        Assert.Equal("feedback_reason", view.GetProperty("callback_id").GetString());
        Assert.Equal(["wrong", "outdated", "incomplete", "not_answered"],
            Element(view, "reason").GetProperty("options").EnumerateArray().Select(o => o.GetProperty("value").GetString()));
        var metadata = view.GetProperty("private_metadata").GetString()!;

        // No reason chosen: the modal stays open with an error under the choices.
        using (var refused = await SendAsync(Interaction(Submission("V1", metadata, null, ""))))
        {
            var body = JsonNode.Parse(await refused.Content.ReadAsStringAsync())!;
            Assert.Equal("errors", body["response_action"]!.GetValue<string>());
            Assert.NotNull(body["errors"]!["reason"]);
        }

        Assert.Equal(HttpStatusCode.OK, (await SendAsync(Interaction(Submission("V1", metadata, "incomplete", "card 4242 4242 4242 4242 was declined, steps missing")))).StatusCode);

        FeedbackRecord? record = null;
        await RedisServer.WaitUntilAsync(async () =>
        {
            record = (await insights.GetSnapshotAsync(20, CancellationToken.None)).Feedback.FirstOrDefault(f => f.AnswerId == answerId && f.Reason is not null);
            return record is not null;
        }, TimeSpan.FromSeconds(10), "the reason was never stored");

        Assert.Equal(("UAGENT02", false, "incomplete"), (record!.User, record.Helpful, record.Reason));
        Assert.DoesNotContain("4242 4242 4242 4242", record.Comment, StringComparison.Ordinal);
        Assert.Contains("steps missing", record.Comment, StringComparison.Ordinal);
        Assert.Equal("How do I respond to a dispute?", record.Question);
        Assert.NotEmpty(record.Sources);
        Assert.Equal(Channel, record.Channel);
        var totals = (await insights.GetSnapshotAsync(1, CancellationToken.None)).Totals;
        Assert.Equal(1, totals.Reasons!["incomplete"]);
    }

    [Fact]
    public async Task Helpful_is_one_vote_per_person_and_answer_and_asks_nothing()
    {
        var (threadTs, answerId, _) = await AskAsync("Why is a payout delayed?");
        var insights = Bot.Services.GetRequiredService<IInsightsStore>();
        var before = (await insights.GetSnapshotAsync(1, CancellationToken.None)).Totals;

        await SendAsync(Interaction(Click("feedback.helpful", answerId, threadTs, "UAGENT03", "8.1.trigger")));
        await SendAsync(Interaction(Click("feedback.not_helpful", answerId, threadTs, "UAGENT03", "8.2.trigger")));

        await RedisServer.WaitUntilAsync(
            async () => (await insights.GetSnapshotAsync(20, CancellationToken.None)).Feedback.Any(f => f.AnswerId == answerId && f.User == "UAGENT03"),
            TimeSpan.FromSeconds(10), "the vote was never stored");
        await Task.Delay(300);
        var after = (await insights.GetSnapshotAsync(20, CancellationToken.None));
        Assert.Equal(before.Helpful + 1, after.Totals.Helpful);
        Assert.Equal(before.NotHelpful, after.Totals.NotHelpful);
        Assert.True(Assert.Single(after.Feedback, f => f.AnswerId == answerId).Helpful);
    }
}
