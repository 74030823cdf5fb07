using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using SupportBot.Core.Conversations;
using SupportBot.IntegrationTests.Infrastructure;

namespace SupportBot.IntegrationTests.Teams;

/// <summary>
/// A model's answer streams in a personal chat with Teams' streaming protocol: the real host on the test's clock, an
/// activity signed like Bot Framework's, the OpenAI stand-in streaming slowly and the Connector stand-in recording the
/// informative update, the streaming updates and the final message (and answering as Teams does: 201 with the stream
/// id, then 202, or 403 ContentStreamNotAllowed, or 429).
/// </summary>
public sealed class TeamsStreamingTests : IAsyncLifetime
{
    /// <summary><c>Teams:StreamingInterval</c>'s default: Teams allows a request a second and advises 1.5–2 s of text per update.</summary>
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1.5);

    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private OpenAiStandIn _model = null!;
    private BotFrameworkStandIn _teams = null!;
    private BotHost _host = null!;

    public async Task InitializeAsync()
    {
        _model = await OpenAiStandIn.StartAsync();
        _teams = await BotFrameworkStandIn.StartAsync();
        _teams.Clock = _time;
        // The model's own timeout runs on the host's clock too, which these tests move on by seconds at a time.
        _host = await BotHost.StartAsync(_time, [.. _teams.HostSettings(), .. StreamingModel.Settings(_model), "Llm:Timeout=00:05:00"]);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _teams.DisposeAsync();
        await _model.DisposeAsync();
    }

    private async Task<(string ConversationId, JsonObject Question)> AskAsync(JsonObject? activity = null)
    {
        var conversationId = "a:" + Guid.NewGuid().ToString("N");
        activity ??= TeamsActivities.Personal(_teams.ServiceUrl, StreamingModel.Question, conversationId: conversationId);
        using var response = await TeamsActivities.PostAsync(_host.Client, activity, _teams.MintToken());
        Assert.True(response.IsSuccessStatusCode, $"the bot answered {(int)response.StatusCode}");
        return (activity["conversation"]!["id"]!.GetValue<string>(), activity);
    }

    private IReadOnlyList<ConnectorRequest> RequestsFor(string conversationId) =>
        [.. _teams.ConnectorRequests.Where(r => r.RawTarget.Contains(Uri.EscapeDataString(conversationId), StringComparison.Ordinal))];

    /// <summary>The requests of the stream (those with a <c>streaminfo</c> entity), in the order they came.</summary>
    private IReadOnlyList<ConnectorRequest> StreamOf(string conversationId) =>
        [.. RequestsFor(conversationId).Where(r => BotFrameworkStandIn.StreamInfo(r.Body) is not null)];

    private IReadOnlyList<ConnectorRequest> MessagesOf(string conversationId) =>
        [.. RequestsFor(conversationId).Where(r => r.Body["type"]?.GetValue<string>() == "message")];

    private static JsonObject Info(ConnectorRequest request) => BotFrameworkStandIn.StreamInfo(request.Body)!;

    private static string? Str(JsonNode? node) => node?.GetValue<string>();

    /// <summary>Moves the host's clock on half a second at a time, letting it work in between, until <paramref name="done"/>.</summary>
    private async Task AdvanceUntilAsync(Func<bool> done, string what)
    {
        for (var step = 0; step < 400 && !done(); step++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(500));
            await Task.Delay(120);
        }

        Assert.True(done(), what);
    }

    private static async Task WaitAsync(Func<bool> done, string what) =>
        await RedisServer.WaitUntilAsync(() => Task.FromResult(done()), TimeSpan.FromSeconds(20), what);

    [Fact]
    public async Task A_personal_answer_streams_informative_then_growing_text_then_the_final_message_with_citations_label_and_feedback()
    {
        var (conversationId, _) = await AskAsync();

        // 1. The informative update opens the stream at once: typing, sequence 1, no stream id yet.
        await WaitAsync(() => StreamOf(conversationId).Count == 1, "the informative update never came");
        var informative = StreamOf(conversationId)[0];
        Assert.Equal("POST", informative.Method);
        Assert.Equal($"/amer/v3/conversations/{Uri.EscapeDataString(conversationId)}/activities", informative.RawTarget);
        Assert.Equal("typing", Str(informative.Body["type"]));
        Assert.Equal("Searching the knowledge base…", Str(informative.Body["text"]));
        Assert.Equal(("informative", 1, false), (Str(Info(informative)["streamType"]), Info(informative)["streamSequence"]!.GetValue<int>(), Info(informative).ContainsKey("streamId")));
        var streamId = Assert.Single(_teams.StreamIds);
        Assert.Equal(streamId, informative.ResponseId);

        // 2. Throttled: nothing more until 1.5 s after Teams answered it, however much text the model has written by then.
        await Task.Delay(1500);
        _time.Advance(Interval - TimeSpan.FromMilliseconds(100));
        await Task.Delay(600);
        Assert.Single(StreamOf(conversationId));
        _time.Advance(TimeSpan.FromMilliseconds(100));
        await WaitAsync(() => StreamOf(conversationId).Count == 2, "the first streaming update never came once the interval passed");

        // 3. The rest, as the clock moves on.
        await AdvanceUntilAsync(() => MessagesOf(conversationId).Count > 0, "the final message never came");
        var stream = StreamOf(conversationId);
        var updates = stream.Skip(1).SkipLast(1).ToList();
        var final = stream[^1];
        Assert.True(updates.Count >= 2, $"expected streaming updates before the final message; got {updates.Count}");
        for (var i = 0; i < updates.Count; i++)
        {
            var info = Info(updates[i]);
            Assert.Equal("typing", Str(updates[i].Body["type"]));
            Assert.Equal(("streaming", streamId, i + 2), (Str(info["streamType"]), Str(info["streamId"]), info["streamSequence"]!.GetValue<int>()));
            Assert.Equal(streamId, Str(updates[i].Body["id"]));
            Assert.Equal(202, updates[i].Status);
        }

        // Each update carries the whole text so far, growing: Teams refuses text that does not start with the last.
        var texts = updates.Select(u => Str(u.Body["text"])!).ToList();
        for (var i = 1; i < texts.Count; i++)
        {
            Assert.StartsWith(texts[i - 1], texts[i], StringComparison.Ordinal);
            Assert.True(texts[i].Length > texts[i - 1].Length, $"update {i} did not grow");
        }

        Assert.StartsWith(texts[0], StreamingModel.Content, StringComparison.Ordinal);

        // At most one request per interval, counted from Teams' answer to the one before (the host's clock).
        for (var i = 1; i < stream.Count; i++)
        {
            Assert.True(stream[i].At - stream[i - 1].At >= Interval, $"request {i} of the stream came {(stream[i].At - stream[i - 1].At).TotalSeconds:0.0} s after the one before");
        }

        // 4. The final message: a message in the stream, no sequence, with the answer, its citations, the AI label and Teams' feedback buttons.
        Assert.Same(final, Assert.Single(MessagesOf(conversationId)));
        var finalInfo = Info(final);
        Assert.Equal(("final", streamId, false), (Str(finalInfo["streamType"]), Str(finalInfo["streamId"]), finalInfo.ContainsKey("streamSequence")));
        Assert.Equal(StreamingModel.Content, Str(final.Body["text"]));
        var message = final.Body["entities"]!.AsArray().OfType<JsonObject>().Single(e => Str(e["type"]) == "https://schema.org/Message");
        Assert.Equal(["AIGeneratedContent"], message["additionalType"]!.AsArray().Select(Str));
        var claim = Assert.Single(message["citation"]!.AsArray())!;
        Assert.Equal(1, claim["position"]!.GetValue<int>());
        Assert.Equal("default", Str(final.Body["channelData"]!["feedbackLoop"]!["type"]));
        Assert.Null(final.Body["channelData"]!["feedbackLoopEnabled"]);
        var card = final.Body["attachments"]![0]!["content"]!;
        Assert.Equal(["draft.reply", "escalate"], card["actions"]!.AsArray().Select(a => Str(a!["verb"])));

        // The same shapes as Microsoft's examples of the three kinds of request.
        TeamsSamples.AssertSameShape(TeamsSamples.Load("streaming-informative.json"), informative.Body);
        TeamsSamples.AssertSameShape(TeamsSamples.Load("streaming-chunk.json"), updates[0].Body);
        TeamsSamples.AssertSameShape(TeamsSamples.Load("streaming-final.json"), final.Body);
    }

    [Fact]
    public async Task A_throttled_update_waits_for_retry_after_and_its_text_and_sequence_go_in_the_next_one()
    {
        _teams.ThrottleStreamUpdates(1, retryAfterSeconds: 4);
        var (conversationId, _) = await AskAsync();

        await AdvanceUntilAsync(() => MessagesOf(conversationId).Count > 0, "the final message never came");

        var stream = StreamOf(conversationId);
        var throttled = Assert.Single(stream, r => r.Status == 429);
        var next = stream[stream.ToList().IndexOf(throttled) + 1];
        Assert.True(next.At - throttled.At >= TimeSpan.FromSeconds(4), $"the next request came {(next.At - throttled.At).TotalSeconds:0.0} s after a 429 that asked for 4");
        if (Str(Info(next)["streamType"]) == "streaming")
        {
            // Not taken by Teams, so its number is used again: the sequence Teams sees has no gap.
            Assert.Equal(Info(throttled)["streamSequence"]!.GetValue<int>(), Info(next)["streamSequence"]!.GetValue<int>());
        }

        var taken = stream.Where(r => r.Status == 202 && Str(Info(r)["streamType"]) == "streaming").Select(r => Info(r)["streamSequence"]!.GetValue<int>()).ToList();
        Assert.Equal(Enumerable.Range(2, taken.Count), taken);
        Assert.Equal(StreamingModel.Content, Str(MessagesOf(conversationId).Single().Body["text"]));
    }

    [Fact]
    public async Task When_Teams_does_not_allow_a_stream_the_answer_is_one_message()
    {
        _teams.RefuseStream = body => Str(BotFrameworkStandIn.StreamInfo(body)!["streamType"]) == "informative" ? "Content stream is not allowed" : null;
        var (conversationId, question) = await AskAsync();

        await AdvanceUntilAsync(() => MessagesOf(conversationId).Count > 0, "the answer never came");
        await Task.Delay(300);

        var refused = Assert.Single(StreamOf(conversationId));
        Assert.Equal(403, refused.Status);
        var answer = Assert.Single(MessagesOf(conversationId));
        Assert.Null(BotFrameworkStandIn.StreamInfo(answer.Body));
        Assert.EndsWith($"/activities/{question["id"]}", answer.RawTarget, StringComparison.Ordinal);
        Assert.Contains(answer.Body["entities"]!.AsArray(), e => Str(e!["type"]) == "https://schema.org/Message");
        Assert.Equal(StreamingModel.Content, Str(answer.Body["text"]));
    }

    [Fact]
    public async Task A_stream_Teams_ends_midway_stops_and_the_answer_follows_as_a_message_of_its_own()
    {
        _teams.RefuseStream = body => Str(BotFrameworkStandIn.StreamInfo(body)!["streamType"]) == "streaming" ? "Content stream finished due to exceeded streaming time." : null;
        var (conversationId, _) = await AskAsync();

        await AdvanceUntilAsync(() => MessagesOf(conversationId).Count > 0, "the answer never came");
        await Task.Delay(300);

        var stream = StreamOf(conversationId);
        Assert.Equal(["informative", "streaming"], stream.Select(r => Str(Info(r)["streamType"])));
        Assert.Equal(403, stream[1].Status);
        var answer = Assert.Single(MessagesOf(conversationId));
        Assert.Null(BotFrameworkStandIn.StreamInfo(answer.Body));
        Assert.Equal(StreamingModel.Content, Str(answer.Body["text"]));
        Assert.True(answer.At > stream[1].At);
    }

    [Fact]
    public async Task Updates_stop_fifteen_seconds_before_the_two_minute_limit_and_the_final_message_still_ends_the_stream()
    {
        var (conversationId, _) = await AskAsync();
        await WaitAsync(() => StreamOf(conversationId).Count == 1, "the informative update never came");
        var started = StreamOf(conversationId)[0].At;

        // One streaming update; the next waits for the interval on the host's clock, which now jumps past 1 min 45 s.
        await Task.Delay(1500);
        _time.Advance(Interval);
        await WaitAsync(() => StreamOf(conversationId).Count == 2, "the first streaming update never came");
        _time.Advance(TimeSpan.FromSeconds(104));
        await AdvanceUntilAsync(() => MessagesOf(conversationId).Count > 0, "the final message never came");

        // Teams ends a stream after two minutes; updates stop 15 s before, so only the final message comes after.
        var stream = StreamOf(conversationId);
        Assert.Equal(["informative", "streaming", "final"], stream.Select(r => Str(Info(r)["streamType"])));
        var final = stream[^1];
        Assert.True(final.At - started > TimeSpan.FromSeconds(105), $"the final message came {(final.At - started).TotalSeconds:0} s after the start");
        Assert.True(final.At - started < TimeSpan.FromMinutes(2), $"the final message came {(final.At - started).TotalSeconds:0} s after the start");
        Assert.Equal(StreamingModel.Content, Str(final.Body["text"]));
    }

    [Fact]
    public async Task When_the_person_stops_the_stream_nothing_more_is_sent()
    {
        _teams.RefuseStream = body => Str(BotFrameworkStandIn.StreamInfo(body)!["streamType"]) == "streaming" ? "Content stream was cancelled by user." : null;
        var (conversationId, _) = await AskAsync();
        var conversations = _host.Services.GetRequiredService<IConversationStore>();

        // The bot's turn is kept once the reply is done with.
        await AdvanceUntilAsync(
            () => conversations.GetHistoryAsync(TeamsSurfaceConversation(conversationId), CancellationToken.None).GetAwaiter().GetResult().Any(t => t.Speaker == Speaker.Bot),
            "the answer was never finished");
        await Task.Delay(300);

        Assert.Equal(["informative", "streaming"], StreamOf(conversationId).Select(r => Str(Info(r)["streamType"])));
        Assert.Empty(MessagesOf(conversationId));
    }

    [Fact]
    public async Task In_a_channel_the_answer_is_one_final_message_without_streaming()
    {
        var post = TeamsActivities.ChannelMessage(_teams.ServiceUrl, StreamingModel.Question, mentionBot: true);
        var (conversationId, _) = await AskAsync(post);

        await AdvanceUntilAsync(() => MessagesOf(conversationId).Count > 0, "the answer never came");
        await Task.Delay(500);

        Assert.Empty(StreamOf(conversationId));
        Assert.DoesNotContain(RequestsFor(conversationId), r => Str(r.Body["type"]) == "typing");
        var answer = Assert.Single(RequestsFor(conversationId));
        Assert.Equal(StreamingModel.Content, Str(answer.Body["text"]));
        Assert.Contains(answer.Body["entities"]!.AsArray(), e => Str(e!["type"]) == "https://schema.org/Message");
        Assert.Equal("default", Str(answer.Body["channelData"]!["feedbackLoop"]!["type"]));
    }

    private static ConversationRef TeamsSurfaceConversation(string conversationId) => new("teams", conversationId, conversationId);
}
