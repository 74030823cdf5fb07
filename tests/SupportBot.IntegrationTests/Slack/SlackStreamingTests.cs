using System.Text.Json;
using SupportBot.IntegrationTests.Infrastructure;
using static SupportBot.IntegrationTests.Slack.SlackRequests;

namespace SupportBot.IntegrationTests.Slack;

/// <summary>
/// A model's answer grows in place in Slack (<c>Slack:NativeStreaming</c> off): the real host, a signed
/// <c>app_mention</c>, the OpenAI stand-in streaming slowly and Slack's Web API stand-in recording
/// <c>chat.postMessage</c> and <c>chat.update</c>.
/// </summary>
public sealed class SlackStreamingTests : IAsyncLifetime
{
    // Slack's pace for editing a message is about once a second; a little slack for scheduling jitter.
    private static readonly TimeSpan MinSpacing = TimeSpan.FromMilliseconds(800);

    private OpenAiStandIn _model = null!;
    private SlackApiStandIn _slack = null!;
    private BotHost _host = null!;

    public async Task InitializeAsync()
    {
        _model = await OpenAiStandIn.StartAsync();
        _slack = await SlackApiStandIn.StartAsync();
        // Editing a message in place, as with native streaming off (or refused: SlackNativeStreamingTests).
        _host = await BotHost.StartAsync([.. Settings(_slack, "Slack:NativeStreaming=false"), .. StreamingModel.Settings(_model)]);
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
        using var request = Event(Envelope(Mention(StreamingModel.Question, ts)));
        using var response = await _host.Client.SendAsync(request);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        return ts;
    }

    /// <summary>The message posted in the thread and every chat.update of it, once the final (with blocks) arrived.</summary>
    private async Task<(SlackCall Posted, IReadOnlyList<SlackCall> Updates)> StreamedAnswerAsync(string root)
    {
        var posted = Assert.Single(await _slack.WaitForAsync("chat.postMessage", c => c.Field("thread_ts") == root));
        var ts = posted.Answer!["ts"]!.GetValue<string>();
        await _slack.WaitForAsync("chat.update", c => c.Field("ts") == ts && c.Json.TryGetProperty("blocks", out _));
        return (posted, _slack.CallsTo("chat.update").Where(c => c.Field("ts") == ts).ToList());
    }

    [Fact]
    public async Task The_answer_grows_in_place_about_once_a_second_then_carries_sources_and_buttons()
    {
        var root = await MentionAsync();

        var (posted, updates) = await StreamedAnswerAsync(root);

        // One message in the thread, edited in place: growing text, then the final reply.
        Assert.Single(_slack.CallsTo("chat.postMessage"), c => c.Field("thread_ts") == root);
        Assert.True(updates.Count >= 3, $"expected partial updates before the final one; got {updates.Count} chat.update calls");
        var partials = updates.SkipLast(1).Select(u => u.Field("text")!).ToList();
        Assert.All(updates.SkipLast(1), u => Assert.False(u.Json.TryGetProperty("blocks", out _)));
        for (var i = 1; i < partials.Count; i++)
        {
            Assert.True(partials[i].Length > partials[i - 1].Length, $"update {i} did not grow: '{partials[i]}'");
            Assert.StartsWith(partials[i - 1], partials[i], StringComparison.Ordinal);
        }

        Assert.StartsWith(partials[0], StreamingModel.Content, StringComparison.Ordinal);
        Assert.True(partials[^1].Length < StreamingModel.Content.Length);

        var calls = new[] { posted }.Concat(updates).ToList();
        for (var i = 2; i < calls.Count; i++)
        {
            Assert.True(calls[i].At - calls[i - 1].At >= MinSpacing, $"chat.update {i - 1} came {(calls[i].At - calls[i - 1].At).TotalMilliseconds:0} ms after the one before");
        }

        // The final edit: the whole answer, its sources, the buttons, and a plain-text fallback.
        var final = updates[^1];
        Assert.StartsWith(StreamingModel.Content, final.Field("text"), StringComparison.Ordinal);
        Assert.Contains("Sources:", final.Field("text"), StringComparison.Ordinal);
        var blocks = final.Json.GetProperty("blocks").EnumerateArray().ToList();
        Assert.Contains(blocks, b => b.GetProperty("type").GetString() == "section" && b.GetProperty("text").GetProperty("text").GetString()!.StartsWith("*Sources*\n[1] <", StringComparison.Ordinal));
        var buttons = blocks.Single(b => b.GetProperty("type").GetString() == "actions").GetProperty("elements").EnumerateArray().Select(e => e.GetProperty("action_id").GetString()).ToList();
        Assert.Equal(["feedback.helpful", "feedback.not_helpful", "draft.reply", "escalate"], buttons);
    }

    [Fact]
    public async Task A_rate_limited_edit_is_skipped_and_the_final_answer_still_arrives()
    {
        // More 429s in a row than the Web API client retries one call.
        for (var i = 0; i < 4; i++)
        {
            _slack.ScriptRateLimit("chat.update", retryAfterSeconds: 1);
        }

        var root = await MentionAsync();

        var (_, updates) = await StreamedAnswerAsync(root);

        // The model's answer, not the offline fallback, and no edit sooner than Slack asked.
        var final = updates[^1];
        Assert.StartsWith(StreamingModel.Content, final.Field("text"), StringComparison.Ordinal);
        Assert.Contains("\"action_id\":\"feedback.helpful\"", final.Body, StringComparison.Ordinal);
        for (var i = 1; i < updates.Count; i++)
        {
            Assert.True(updates[i].At - updates[i - 1].At >= MinSpacing, $"chat.update {i} came {(updates[i].At - updates[i - 1].At).TotalMilliseconds:0} ms after a rate-limited one");
        }
    }
}
