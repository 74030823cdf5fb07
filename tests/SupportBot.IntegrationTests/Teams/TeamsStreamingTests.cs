using System.Net;
using System.Text.Json.Nodes;
using SupportBot.IntegrationTests.Infrastructure;

namespace SupportBot.IntegrationTests.Teams;

/// <summary>
/// A model's answer grows in place in Teams: the real host, an activity signed like Bot Framework's, the
/// OpenAI stand-in streaming slowly and the Connector stand-in recording the POST and the PUT updates.
/// </summary>
public sealed class TeamsStreamingTests : IAsyncLifetime
{
    // Teams' pace for streaming updates is about once a second; a little slack for scheduling jitter.
    private static readonly TimeSpan MinSpacing = TimeSpan.FromMilliseconds(800);

    private OpenAiStandIn _model = null!;
    private BotFrameworkStandIn _teams = null!;
    private BotHost _host = null!;

    public async Task InitializeAsync()
    {
        _model = await OpenAiStandIn.StartAsync();
        _teams = await BotFrameworkStandIn.StartAsync();
        _host = await BotHost.StartAsync([.. _teams.HostSettings(), .. StreamingModel.Settings(_model)]);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _teams.DisposeAsync();
        await _model.DisposeAsync();
    }

    private async Task<string> AskAsync()
    {
        var conversationId = "a:" + Guid.NewGuid().ToString("N");
        var activity = TeamsActivities.Personal(_teams.ServiceUrl, StreamingModel.Question, conversationId: conversationId);
        using var response = await TeamsActivities.PostAsync(_host.Client, activity, _teams.MintToken());
        Assert.True(response.IsSuccessStatusCode, $"the bot answered {(int)response.StatusCode}");
        return conversationId;
    }

    private IReadOnlyList<ConnectorRequest> RequestsFor(string conversationId) =>
        [.. _teams.ConnectorRequests.Where(r => r.RawTarget.Contains(Uri.EscapeDataString(conversationId), StringComparison.Ordinal))];

    /// <summary>The placeholder's POST and every PUT of it, once the final (a card) arrived.</summary>
    private async Task<(ConnectorRequest Posted, IReadOnlyList<ConnectorRequest> Updates, string ActivityId)> StreamedAnswerAsync(string conversationId)
    {
        await RedisServer.WaitUntilAsync(
            () => Task.FromResult(RequestsFor(conversationId).Any(r => r.Method == "PUT" && r.Body["attachments"] is not null)),
            TimeSpan.FromSeconds(20), "the answer card never replaced the streamed text");
        var requests = RequestsFor(conversationId);
        var posted = Assert.Single(requests, r => r.Method == "POST" && r.Body["type"]?.GetValue<string>() == "message");

        // The Connector answered the POST with the id of the message the updates address.
        var activityId = requests.Where(r => r.Method == "PUT").Select(r => r.RawTarget[(r.RawTarget.LastIndexOf('/') + 1)..]).Distinct().Single();
        return (posted, requests.Where(r => r.Method == "PUT").ToList(), activityId);
    }

    [Fact]
    public async Task The_answer_grows_in_place_about_once_a_second_then_becomes_a_card_with_sources_and_buttons()
    {
        var conversationId = await AskAsync();

        var (posted, updates, activityId) = await StreamedAnswerAsync(conversationId);

        Assert.StartsWith("reply-", activityId, StringComparison.Ordinal);
        Assert.All(updates, u => Assert.Equal(activityId, u.Body["id"]?.GetValue<string>()));
        Assert.True(updates.Count >= 3, $"expected streamed updates before the card; got {updates.Count} PUTs");
        var partials = updates.SkipLast(1).Select(u => u.Body["text"]!.GetValue<string>()).ToList();
        Assert.All(updates.SkipLast(1), u => Assert.Null(u.Body["attachments"]));
        for (var i = 1; i < partials.Count; i++)
        {
            Assert.True(partials[i].Length > partials[i - 1].Length, $"update {i} did not grow: '{partials[i]}'");
            Assert.StartsWith(partials[i - 1], partials[i], StringComparison.Ordinal);
        }

        Assert.StartsWith(partials[0], StreamingModel.Content, StringComparison.Ordinal);
        for (var i = 1; i < updates.Count; i++)
        {
            Assert.True(updates[i].At - updates[i - 1].At >= MinSpacing, $"PUT {i} came {(updates[i].At - updates[i - 1].At).TotalMilliseconds:0} ms after the one before");
        }

        Assert.True(posted.At < updates[0].At);

        // The final update: an Adaptive Card with the whole answer, its sources and the buttons.
        var attachment = Assert.Single(updates[^1].Body["attachments"]!.AsArray())!;
        Assert.Equal("application/vnd.microsoft.card.adaptive", attachment["contentType"]!.GetValue<string>());
        var card = attachment["content"]!;
        var texts = card["body"]!.AsArray().Select(b => b!["text"]?.GetValue<string>()).ToList();
        Assert.Equal(StreamingModel.Content, texts[0]);
        Assert.Contains("Sources", texts);
        Assert.Contains(texts, t => t?.StartsWith("1. [", StringComparison.Ordinal) == true);
        var verbs = card["actions"]!.AsArray().Select(a => a!["verb"]!.GetValue<string>()).ToList();
        Assert.Equal(["feedback.helpful", "feedback.not_helpful", "draft.reply", "escalate"], verbs);
        Assert.StartsWith(StreamingModel.Content, card["fallbackText"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_throttled_update_is_skipped_and_the_card_still_arrives()
    {
        // More 429s in a row than the Connector client retries one call.
        _teams.ThrottleUpdates(5);
        var conversationId = await AskAsync();

        var (_, updates, _) = await StreamedAnswerAsync(conversationId);

        var card = updates[^1].Body["attachments"]![0]!["content"]!;
        Assert.Equal(StreamingModel.Content, card["body"]![0]!["text"]!.GetValue<string>());
        for (var i = 1; i < updates.Count; i++)
        {
            Assert.True(updates[i].At - updates[i - 1].At >= MinSpacing, $"PUT {i} came {(updates[i].At - updates[i - 1].At).TotalMilliseconds:0} ms after a throttled one");
        }
    }
}
