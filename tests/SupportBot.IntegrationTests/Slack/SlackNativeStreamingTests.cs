using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using SupportBot.Core.Insights;
using SupportBot.IntegrationTests.Infrastructure;
using static SupportBot.IntegrationTests.Slack.SlackRequests;

namespace SupportBot.IntegrationTests.Slack;

/// <summary>
/// A model's answer streamed with Slack's streaming methods: the real host, signed events, the OpenAI stand-in
/// streaming slowly and Slack's Web API stand-in recording <c>chat.startStream</c>, <c>chat.appendStream</c> and
/// <c>chat.stopStream</c>, or refusing them as a workspace without native streaming does.
/// </summary>
public sealed class SlackNativeStreamingTests : IAsyncLifetime
{
    private OpenAiStandIn _model = null!;
    private SlackApiStandIn _slack = null!;
    private BotHost _host = null!;

    public async Task InitializeAsync()
    {
        _model = await OpenAiStandIn.StartAsync();
        _slack = await SlackApiStandIn.StartAsync();
        _host = await BotHost.StartAsync([.. Settings(_slack), .. StreamingModel.Settings(_model)]);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _slack.DisposeAsync();
        await _model.DisposeAsync();
    }

    private async Task<string> MentionAsync()
    {
        var ts = NextTs();
        using var response = await _host.Client.SendAsync(Event(Envelope(Mention(StreamingModel.Question, ts))));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return ts;
    }

    /// <summary>The stream started in <paramref name="root"/>'s thread, its appends, and its stop, once it stopped.</summary>
    private async Task<(SlackCall Start, IReadOnlyList<SlackCall> Appends, SlackCall Stop)> StreamedAsync(string channel, string root)
    {
        var start = Assert.Single(await _slack.WaitForAsync("chat.startStream", c => c.Field("channel") == channel && c.Field("thread_ts") == root));
        var ts = start.Answer!["ts"]!.GetValue<string>();
        var stop = Assert.Single(await _slack.WaitForAsync("chat.stopStream", c => c.Field("ts") == ts));
        return (start, [.. _slack.CallsTo("chat.appendStream").Where(c => c.Field("ts") == ts)], stop);
    }

    private static List<JsonElement> Blocks(SlackCall call) => [.. call.Json.GetProperty("blocks").EnumerateArray()];

    private static JsonElement FeedbackButtons(SlackCall stop) =>
        Blocks(stop).Single(b => b.GetProperty("type").GetString() == "context_actions").GetProperty("elements").EnumerateArray()
            .Single(e => e.GetProperty("type").GetString() == "feedback_buttons");

    [Fact]
    public async Task In_a_channel_the_answer_streams_to_the_asker_and_ends_with_sources_and_feedback_buttons()
    {
        var root = await MentionAsync();

        var (start, appends, stop) = await StreamedAsync(Channel, root);

        // Streaming in a channel names the person it is for and their workspace.
        Assert.Equal(("UAGENT01", "T0001"), (start.Field("recipient_user_id"), start.Field("recipient_team_id")));
        Assert.NotEmpty(appends);
        Assert.All(appends, a => Assert.Equal(Channel, a.Field("channel")));
        Assert.True(appends.Zip(appends.Skip(1)).All(p => p.Second.At - p.First.At >= TimeSpan.FromMilliseconds(800)), "appends came faster than the pipeline's pace");

        // The pieces, in order, are the whole answer, shown once.
        var streamed = start.Field("markdown_text") + string.Concat(appends.Select(a => a.Field("markdown_text"))) + stop.Field("markdown_text");
        Assert.Equal(StreamingModel.Content, streamed);
        Assert.StartsWith(start.Field("markdown_text")!, StreamingModel.Content, StringComparison.Ordinal);

        // Under it: the sources, the buttons, Slack's feedback buttons naming the answer, and the reply's mark.
        var blocks = Blocks(stop);
        Assert.Contains(blocks, b => b.GetProperty("type").GetString() == "section" && b.GetProperty("text").GetProperty("text").GetString()!.StartsWith("*Sources*\n[1] <", StringComparison.Ordinal));
        var buttons = blocks.Single(b => b.GetProperty("type").GetString() == "actions").GetProperty("elements").EnumerateArray().Select(e => e.GetProperty("action_id").GetString()).ToList();
        Assert.Equal(["draft.reply", "escalate"], buttons);
        var feedback = FeedbackButtons(stop);
        Assert.Equal("feedback.buttons", feedback.GetProperty("action_id").GetString());
        Assert.StartsWith("feedback.helpful|Ev", feedback.GetProperty("positive_button").GetProperty("value").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("feedback.not_helpful|Ev", feedback.GetProperty("negative_button").GetProperty("value").GetString(), StringComparison.Ordinal);
        Assert.Equal("supportbot_reply", stop.Json.GetProperty("metadata").GetProperty("event_type").GetString());

        // Nothing was posted or edited the old way.
        Assert.DoesNotContain(_slack.CallsTo("chat.postMessage"), c => c.Field("thread_ts") == root);
        Assert.Empty(_slack.CallsTo("chat.update"));
    }

    [Fact]
    public async Task When_the_checked_answer_differs_from_what_was_streamed_the_message_is_replaced_whole()
    {
        // The model cites its second passage first: the checked answer renumbers it [1], which cannot be appended.
        _model.Default = OpenAiStandIn.Answer(
            "Respond to a dispute from Dashboard, Payments, Disputes before the Respond by date [2]. " +
            "Upload the receipt, the delivery proof and the customer's messages as evidence [2]. " +
            "Only one submission is allowed, so check everything first [2].",
            StreamingModel.PieceDelay);

        var root = await MentionAsync();
        var (start, _, stop) = await StreamedAsync(Channel, root);

        Assert.Contains("[2]", start.Field("markdown_text") + string.Concat(_slack.CallsTo("chat.appendStream").Select(a => a.Field("markdown_text"))), StringComparison.Ordinal);
        Assert.Null(stop.Field("markdown_text"));
        var ts = start.Answer!["ts"]!.GetValue<string>();
        var replaced = Assert.Single(await _slack.WaitForAsync("chat.update", c => c.Field("ts") == ts));
        Assert.Contains("before the Respond by date [1].", replaced.Field("text"), StringComparison.Ordinal);
        Assert.DoesNotContain("[2]", replaced.Field("text"), StringComparison.Ordinal);
        Assert.Contains(Blocks(replaced), b => b.GetProperty("type").GetString() == "context_actions");
    }

    [Fact]
    public async Task In_a_direct_message_the_stream_names_no_recipient()
    {
        var ts = NextTs();
        using (var response = await _host.Client.SendAsync(Event(Envelope(Message(StreamingModel.Question, ts, channelType: "im", channel: "D0AGENT01")))))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var (start, _, stop) = await StreamedAsync("D0AGENT01", ts);

        Assert.Null(start.Field("recipient_user_id"));
        Assert.Null(start.Field("recipient_team_id"));
        Assert.Equal(JsonValueKind.Object, FeedbackButtons(stop).ValueKind);
    }

    [Fact]
    public async Task A_workspace_that_refuses_streaming_gets_an_edited_message_and_is_not_asked_again()
    {
        _slack.RefuseStreaming = "unknown_method";

        var first = await MentionAsync();

        // The refused stream: the answer is posted, grows by edits, and ends with the usual buttons.
        var posted = Assert.Single(await _slack.WaitForAsync("chat.postMessage", c => c.Field("thread_ts") == first));
        var ts = posted.Answer!["ts"]!.GetValue<string>();
        var final = (await _slack.WaitForAsync("chat.update", c => c.Field("ts") == ts && c.Json.TryGetProperty("blocks", out _)))[0];
        Assert.StartsWith(StreamingModel.Content, final.Field("text"), StringComparison.Ordinal);
        Assert.Contains("\"action_id\":\"feedback.helpful\"", final.Body, StringComparison.Ordinal);
        Assert.Equal("supportbot_reply", posted.Json.GetProperty("metadata").GetProperty("event_type").GetString());
        Assert.Single(_slack.CallsTo("chat.startStream"));

        // The next answer in that workspace does not try again.
        var second = await MentionAsync();
        var again = Assert.Single(await _slack.WaitForAsync("chat.postMessage", c => c.Field("thread_ts") == second));
        var againTs = again.Answer!["ts"]!.GetValue<string>();
        await _slack.WaitForAsync("chat.update", c => c.Field("ts") == againTs && c.Json.TryGetProperty("blocks", out _));
        Assert.Single(_slack.CallsTo("chat.startStream"));
        Assert.Empty(_slack.CallsTo("chat.appendStream"));
        Assert.Empty(_slack.CallsTo("chat.stopStream"));
    }

    [Fact]
    public async Task A_click_on_the_feedback_buttons_is_stored_like_a_helpful_vote()
    {
        var root = await MentionAsync();
        var (_, _, stop) = await StreamedAsync(Channel, root);
        var positive = FeedbackButtons(stop).GetProperty("positive_button");
        var value = positive.GetProperty("value").GetString()!;
        var answerId = value["feedback.helpful|".Length..];
        var insights = _host.Services.GetRequiredService<IInsightsStore>();
        var before = (await insights.GetSnapshotAsync(1, CancellationToken.None)).Totals;

        // A block_actions payload as Slack sends it for a feedback_buttons element (the pressed button's value and text).
        var click = new JsonObject
        {
            ["type"] = "block_actions",
            ["user"] = new JsonObject { ["id"] = "UAGENT07", ["username"] = "agent7", ["name"] = "agent7", ["team_id"] = "T0001" },
            ["api_app_id"] = "A0001",
            ["token"] = "legacy",
            ["container"] = new JsonObject { ["type"] = "message", ["message_ts"] = stop.Field("ts"), ["channel_id"] = Channel, ["is_ephemeral"] = false, ["thread_ts"] = root },
            ["trigger_id"] = "9.9.trigger",
            ["team"] = new JsonObject { ["id"] = "T0001", ["domain"] = "paylane" },
            ["channel"] = new JsonObject { ["id"] = Channel, ["name"] = "support" },
            ["message"] = new JsonObject { ["type"] = "message", ["ts"] = stop.Field("ts"), ["thread_ts"] = root, ["text"] = StreamingModel.Content },
            ["response_url"] = "https://hooks.slack.invalid/actions/T0001/1/x",
            ["actions"] = new JsonArray(new JsonObject
            {
                ["type"] = "feedback_buttons",
                ["block_id"] = "supportbot.feedback",
                ["action_id"] = "feedback.buttons",
                ["value"] = value,
                ["text"] = JsonNode.Parse(positive.GetProperty("text").GetRawText()),
                ["action_ts"] = NextTs(),
            }),
        };
        using (var response = await _host.Client.SendAsync(Interaction(click)))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        FeedbackRecord? record = null;
        await RedisServer.WaitUntilAsync(async () =>
        {
            record = (await insights.GetSnapshotAsync(20, CancellationToken.None)).Feedback.FirstOrDefault(f => f.AnswerId == answerId);
            return record is not null;
        }, TimeSpan.FromSeconds(10), "the feedback was never stored");
        Assert.Equal(("UAGENT07", true, Channel), (record!.User, record.Helpful, record.Channel));
        Assert.Equal(StreamingModel.Question, record.Question);
        Assert.Equal(before.Helpful + 1, (await insights.GetSnapshotAsync(1, CancellationToken.None)).Totals.Helpful);
        Assert.Empty(_slack.CallsTo("views.open")); // a positive vote asks nothing
    }
}
