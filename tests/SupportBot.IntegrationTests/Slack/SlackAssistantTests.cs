using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using SupportBot.IntegrationTests.Infrastructure;
using static SupportBot.IntegrationTests.Slack.SlackRequests;

namespace SupportBot.IntegrationTests.Slack;

/// <summary>
/// Slack's assistant pane over real Slack HTTP: Slack's documented <c>assistant_thread_started</c> and
/// <c>assistant_thread_context_changed</c> payloads (tests/fixtures/slack), the Web API stand-in recording the
/// <c>assistant.threads.*</c> calls, and a question asked in the thread answered there within the knowledge scope of
/// the channel the person is looking at (a channels file names it).
/// </summary>
public sealed partial class SlackAssistantTests : IAsyncLifetime
{
    // As the documented examples name them.
    private const string Dm = "D123ABC456";
    private const string Thread = "1729999327.187299";
    private const string Person = "U123ABC456";
    private const string Workspace = "T123ABC456";
    private const string DocumentedChannel = "C123ABC456";

    private const string PayoutsChannel = "C0PAYOUTSDESK";

    private SlackApiStandIn _api = null!;
    private BotHost _bot = null!;
    private string _file = null!;

    public async Task InitializeAsync()
    {
        _file = Path.Combine(Directory.CreateTempSubdirectory("supportbot-assistant-").FullName, "channels.yaml");
        await File.WriteAllTextAsync(_file, $$"""
            channels:
              slack:{{DocumentedChannel}}:
                name: disputes-desk
                areas: [disputes]
              slack:{{PayoutsChannel}}:
                name: payouts-desk
                areas: [payouts]
            """);
        _api = await SlackApiStandIn.StartAsync();
        _bot = await BotHost.StartAsync(Settings(_api, $"Slack:AllowedTeams=T0001,{Workspace}", $"Channels:File={_file}"));
    }

    public async Task DisposeAsync()
    {
        await _bot.DisposeAsync();
        await _api.DisposeAsync();
        Directory.Delete(Path.GetDirectoryName(_file)!, recursive: true);
    }

    /// <summary>A documented payload from tests/fixtures/slack, with a fresh event id (Slack gives each delivery its own).</summary>
    internal static JsonObject Fixture(string name)
    {
        var payload = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "fixtures", "slack", name)))!.AsObject();
        payload["event_id"] = NewEventId();
        return payload;
    }

    private async Task SendAsync(JsonObject envelope)
    {
        using var response = await _bot.Client.SendAsync(Event(envelope));
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>The person writes in the assistant thread: a <c>message.im</c> event in that thread.</summary>
    private async Task<string> AskInThreadAsync(string question)
    {
        var ts = NextTs();
        var envelope = Envelope(Message(question, ts, channelType: "im", threadTs: Thread, channel: Dm, user: Person));
        envelope["team_id"] = Workspace;
        await SendAsync(envelope);
        return ts;
    }

    private static IEnumerable<string> CitedAreas(string text) =>
        KbLink().Matches(text).Select(m => m.Groups[1].Value);

    [Fact]
    public async Task A_new_assistant_thread_is_offered_suggested_prompts()
    {
        await SendAsync(Fixture("assistant_thread_started.json"));

        var call = Assert.Single(await _api.WaitForAsync("assistant.threads.setSuggestedPrompts", _ => true));
        Assert.Equal(Dm, call.Field("channel_id"));
        Assert.Equal(Thread, call.Field("thread_ts"));
        var prompts = call.Json.GetProperty("prompts").EnumerateArray().ToList();
        Assert.InRange(prompts.Count, 1, 4);
        Assert.Contains(prompts, p => p.GetProperty("message").GetString() == "How do I respond to a dispute?");
        Assert.Contains(prompts, p => p.GetProperty("message").GetString() == "case 12345");
        Assert.All(prompts, p => Assert.False(string.IsNullOrEmpty(p.GetProperty("title").GetString())));
    }

    [Fact]
    public async Task A_question_in_the_thread_gets_a_title_a_status_and_an_answer_scoped_to_the_channel_beside_it()
    {
        await SendAsync(Fixture("assistant_thread_started.json")); // beside C123ABC456: disputes only

        await AskInThreadAsync("Why is a payout delayed?");

        // The answer, in the assistant thread, with sources from the disputes area only (the question alone, in a DM,
        // would cite payouts articles).
        var post = Assert.Single(await _api.WaitForAsync("chat.postMessage", c => c.Field("channel") == Dm && c.Field("thread_ts") == Thread));
        var text = post.Field("text")!;
        var areas = CitedAreas(text).ToList();
        Assert.True(areas.Count > 0 || text.StartsWith("I couldn't find anything", StringComparison.Ordinal), text);
        Assert.All(areas, area => Assert.Equal("disputes", area));

        // The status line: searching first, cleared last, each call for this thread; nothing after the clear.
        await _api.WaitForAsync("assistant.threads.setStatus", c => c.Field("status") == string.Empty);
        var statuses = _api.CallsTo("assistant.threads.setStatus").ToList();
        Assert.All(statuses, s => Assert.Equal((Dm, Thread), (s.Field("channel_id"), s.Field("thread_ts"))));
        Assert.Equal("is searching the knowledge base…", statuses[0].Field("status"));
        Assert.Equal(string.Empty, statuses[^1].Field("status"));
        Assert.All(statuses, s => Assert.Contains(s.Field("status"), new[] { "is searching the knowledge base…", "is drafting…", string.Empty }));
        Assert.True(statuses[^1].At >= post.At, "the status was cleared before the answer was posted");

        // The first question is the thread's title; no eyes reaction in an assistant thread.
        var title = Assert.Single(await _api.WaitForAsync("assistant.threads.setTitle", _ => true));
        Assert.Equal((Dm, Thread, "Why is a payout delayed?"), (title.Field("channel_id"), title.Field("thread_ts"), title.Field("title")));
        Assert.Empty(_api.CallsTo("reactions.add"));
    }

    [Fact]
    public async Task A_changed_context_scopes_the_next_question_and_the_title_stays()
    {
        await SendAsync(Fixture("assistant_thread_started.json"));
        await AskInThreadAsync("How do I respond to a dispute?");
        await _api.WaitForAsync("chat.postMessage", c => c.Field("channel") == Dm && c.Field("thread_ts") == Thread);

        // The person opens the payouts desk beside the pane (the documented payload, another channel in its context).
        var changed = Fixture("assistant_thread_context_changed.json");
        changed["event"]!["assistant_thread"]!["context"]!["channel_id"] = PayoutsChannel;
        await SendAsync(changed);

        await AskInThreadAsync("Why is a payout delayed?");

        var second = (await _api.WaitForAsync("chat.postMessage", c => c.Field("channel") == Dm && c.Field("thread_ts") == Thread, count: 2))[1];
        var areas = CitedAreas(second.Field("text")!).ToList();
        Assert.NotEmpty(areas);
        Assert.All(areas, area => Assert.Equal("payouts", area));

        // The title was set once, from the first question.
        await Task.Delay(300);
        var title = Assert.Single(_api.CallsTo("assistant.threads.setTitle"));
        Assert.Equal("How do I respond to a dispute?", title.Field("title"));
    }

    [Fact]
    public async Task A_rate_limited_status_is_skipped_not_retried_and_the_answer_still_arrives()
    {
        await SendAsync(Fixture("assistant_thread_started.json"));
        _api.ScriptRateLimit("assistant.threads.setStatus", retryAfterSeconds: 30);

        var started = DateTimeOffset.UtcNow;
        await AskInThreadAsync("How do I respond to a dispute?");

        var post = Assert.Single(await _api.WaitForAsync("chat.postMessage", c => c.Field("channel") == Dm && c.Field("thread_ts") == Thread));
        Assert.True(post.At - started < TimeSpan.FromSeconds(10), "the answer waited for the rate-limited status");

        // "Searching" got a 429 and was never sent again (its Retry-After is 30 s); a status shown after it was cleared.
        await Task.Delay(1_000);
        var statuses = _api.CallsTo("assistant.threads.setStatus").Select(c => c.Field("status")).ToList();
        Assert.Equal("is searching the knowledge base…", statuses[0]);
        Assert.Single(statuses, s => s == "is searching the knowledge base…");
        if (statuses.Contains("is drafting…"))
        {
            Assert.Equal(string.Empty, statuses[^1]);
        }
    }

    [GeneratedRegex(@"https://kb\.paylane\.example/([a-z-]+)/")]
    private static partial Regex KbLink();
}
