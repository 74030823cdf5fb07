using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using SupportBot.Core.Escalations;
using SupportBot.IntegrationTests.Infrastructure;
using SupportBot.IntegrationTests.Slack;

namespace SupportBot.IntegrationTests.Escalations;

/// <summary>
/// Closing the loop on Slack: resolving posts the team's last word into the requester's thread with 1–5 rating
/// buttons; a rating is kept once (signed, in that thread only) and its comment comes from a modal, masked.
/// </summary>
public sealed class EscalationOutcomeTests : IAsyncLifetime
{
    private SlackApiStandIn _slack = null!;
    private BotHost _host = null!;

    public async Task InitializeAsync()
    {
        _slack = await SlackApiStandIn.StartAsync();
        _host = await BotHost.StartAsync(SlackRequests.Settings(_slack));
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _slack.DisposeAsync();
    }

    private async Task SendAsync(HttpRequestMessage request)
    {
        using (request)
        {
            using var response = await _host.Client.SendAsync(request);
            response.EnsureSuccessStatusCode();
        }
    }

    private static JsonObject Press(string actionId, string value, string channel, string ts, string? threadTs, string user, string trigger = "3.3.trigger")
    {
        var message = new JsonObject { ["ts"] = ts, ["text"] = "x" };
        if (threadTs is not null)
        {
            message["thread_ts"] = threadTs;
        }

        return new JsonObject
        {
            ["type"] = "block_actions",
            ["team"] = new JsonObject { ["id"] = "T0001" },
            ["user"] = new JsonObject { ["id"] = user, ["username"] = user.ToLowerInvariant(), ["team_id"] = "T0001" },
            ["container"] = new JsonObject { ["type"] = "message", ["message_ts"] = ts, ["channel_id"] = channel },
            ["channel"] = new JsonObject { ["id"] = channel },
            ["trigger_id"] = trigger,
            ["message"] = message,
            ["actions"] = new JsonArray(new JsonObject { ["action_id"] = actionId, ["value"] = value, ["type"] = "button" }),
        };
    }

    private static string ButtonValue(SlackCall call, string actionId) =>
        call.Json.GetProperty("blocks").EnumerateArray().Where(b => b.GetProperty("type").GetString() == "actions")
            .SelectMany(b => b.GetProperty("elements").EnumerateArray()).Single(e => e.GetProperty("action_id").GetString() == actionId)
            .GetProperty("value").GetString()!;

    [Fact]
    public async Task Resolving_posts_the_outcome_and_asks_the_requester_to_rate_and_the_rating_is_kept_once_with_its_comment()
    {
        var root = SlackRequests.NextTs();
        await SendAsync(SlackRequests.Event(SlackRequests.Envelope(SlackRequests.Mention("escalate to disputes sev2 evidence upload fails", root))));
        var opened = (await _slack.WaitForAsync("chat.postMessage", c => c.Field("channel") == "C0DISPUTES"))[0];
        var teamTs = opened.Answer!["ts"]!.GetValue<string>();
        var status = ButtonValue(opened, "escalation.resolve");

        // The team answers in its thread, then resolves.
        var reply = SlackRequests.Message("Fixed: the upload limit was raised to 8 MB, card 4000 0000 0000 0002 retried fine", SlackRequests.NextTs(), threadTs: teamTs, channel: "C0DISPUTES", user: "UTEAM01");
        await SendAsync(SlackRequests.Event(SlackRequests.Envelope(reply)));
        await _slack.WaitForAsync("chat.postMessage", c => c.Field("channel") == SlackRequests.Channel && c.Field("text")!.Contains("upload limit", StringComparison.Ordinal));
        await SendAsync(SlackRequests.Interaction(Press("escalation.resolve", status, "C0DISPUTES", teamTs, null, "UTEAM01")));

        var ask = (await _slack.WaitForAsync("chat.postMessage", c => c.Field("channel") == SlackRequests.Channel && c.Field("thread_ts") == root && c.Field("text")!.Contains("Outcome:", StringComparison.Ordinal)))[0];
        Assert.Contains("upload limit was raised", ask.Field("text")!, StringComparison.Ordinal);
        Assert.DoesNotContain("4000 0000 0000 0002", ask.Field("text")!, StringComparison.Ordinal);
        var four = ButtonValue(ask, "escalation.rate.4");

        // A value taken to another button, or another thread, is refused.
        await SendAsync(SlackRequests.Interaction(Press("escalation.rate.5", four, SlackRequests.Channel, SlackRequests.NextTs(), root, "UAGENT01")));
        await SendAsync(SlackRequests.Interaction(Press("escalation.rate.4", four, SlackRequests.Channel, SlackRequests.NextTs(), "1700000000.999999", "UAGENT01")));

        await SendAsync(SlackRequests.Interaction(Press("escalation.rate.4", four, SlackRequests.Channel, SlackRequests.NextTs(), root, "UAGENT01", "4.4.trigger")));
        var modal = (await _slack.WaitForAsync("views.open", c => c.Field("trigger_id") == "4.4.trigger"))[0];
        var view = SlackRequests.View(modal);
        Assert.Equal("escalation_rating_comment", view.GetProperty("callback_id").GetString());

        var store = _host.Services.GetRequiredService<IEscalationStore>();
        var id = EscalationActionSigner.PayloadOf(four)!;
        await RedisServer.WaitUntilAsync(async () => (await store.GetAsync(id, CancellationToken.None))?.Rating is not null, TimeSpan.FromSeconds(10), "the rating was never kept");

        var submission = new JsonObject
        {
            ["type"] = "view_submission",
            ["team"] = new JsonObject { ["id"] = "T0001" },
            ["user"] = new JsonObject { ["id"] = "UAGENT01", ["username"] = "uagent01", ["team_id"] = "T0001" },
            ["view"] = new JsonObject
            {
                ["id"] = "VRATE1",
                ["callback_id"] = "escalation_rating_comment",
                ["private_metadata"] = view.GetProperty("private_metadata").GetString(),
                ["state"] = new JsonObject { ["values"] = new JsonObject { ["comment"] = new JsonObject { ["comment"] = new JsonObject { ["type"] = "plain_text_input", ["value"] = "quick, but IBAN DE89370400440532013000 was shown" } } } },
            },
        };
        await SendAsync(SlackRequests.Interaction(submission));
        await RedisServer.WaitUntilAsync(async () => (await store.GetAsync(id, CancellationToken.None))?.Rating?.Comment is not null, TimeSpan.FromSeconds(10), "the comment was never kept");

        // Only the requester rates, once: someone else in the thread is told so, and a second rating changes nothing.
        await SendAsync(SlackRequests.Interaction(Press("escalation.rate.1", ButtonValue(ask, "escalation.rate.1"), SlackRequests.Channel, SlackRequests.NextTs(), root, "UOTHER", "5.5.trigger")));
        Assert.Contains("so they rate it", (await _slack.WaitForAsync("chat.postEphemeral", c => c.Field("user") == "UOTHER"))[0].Field("text")!, StringComparison.Ordinal);
        await SendAsync(SlackRequests.Interaction(Press("escalation.rate.2", ButtonValue(ask, "escalation.rate.2"), SlackRequests.Channel, SlackRequests.NextTs(), root, "UAGENT01", "6.6.trigger")));
        Assert.Contains("was rated 4/5 by", (await _slack.WaitForAsync("chat.postEphemeral", c => c.Field("user") == "UAGENT01" && c.Field("text")!.Contains("was rated", StringComparison.Ordinal)))[0].Field("text")!, StringComparison.Ordinal);
        var rating = (await store.GetAsync(id, CancellationToken.None))!.Rating!;
        Assert.Equal((4, "uagent01"), (rating.Score, rating.By));
        Assert.Contains("quick", rating.Comment, StringComparison.Ordinal);
        Assert.DoesNotContain("DE89370400440532013000", rating.Comment, StringComparison.Ordinal);

        // The team thread offers "Save as article": a masked draft joins the review queue, once.
        var offer = (await _slack.WaitForAsync("chat.postMessage", c => c.Field("channel") == "C0DISPUTES" && c.Field("text")!.StartsWith("Worth keeping?", StringComparison.Ordinal)))[0];
        var save = ButtonValue(offer, "escalation.article");
        await SendAsync(SlackRequests.Interaction(Press("escalation.article", save, "C0DISPUTES", SlackRequests.NextTs(), teamTs, "UTEAM01")));
        var drafts = _host.Services.GetRequiredService<SupportBot.Core.Articles.IArticleDrafts>();
        await RedisServer.WaitUntilAsync(async () => await drafts.GetAsync(id, CancellationToken.None) is not null, TimeSpan.FromSeconds(10), "no draft article");
        var draft = (await drafts.GetAsync(id, CancellationToken.None))!;
        Assert.Equal("disputes", draft.Product);
        Assert.Contains("upload limit was raised to 8 MB", draft.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("4000 0000 0000 0002", draft.Body, StringComparison.Ordinal);
        Assert.Contains("evidence upload fails", draft.Title, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_a_model_the_outcome_is_its_summary_of_the_teams_thread_and_the_thread_is_in_its_prompt()
    {
        await using var model = await OpenAiStandIn.StartAsync();
        model.Default = OpenAiStandIn.When(
            "how the specialist team resolved",
            OpenAiStandIn.Answer("The upload limit was too low; the team raised it to 8 MB and the evidence went through."),
            OpenAiStandIn.Answer("The stand-in answer [1]."));
        await using var host = await BotHost.StartAsync([
            .. SlackRequests.Settings(_slack),
            "Llm:Provider=openai", $"Llm:Endpoint={model.OpenAiEndpoint}", "Llm:ApiKey=k", "Llm:Model=m",
        ]);

        var root = SlackRequests.NextTs();
        using (var escalate = await host.Client.SendAsync(SlackRequests.Event(SlackRequests.Envelope(SlackRequests.Mention("escalate to disputes sev2 evidence upload fails", root)))))
        {
            escalate.EnsureSuccessStatusCode();
        }

        var opened = (await _slack.WaitForAsync("chat.postMessage", c => c.Field("channel") == "C0DISPUTES"))[0];
        var teamTs = opened.Answer!["ts"]!.GetValue<string>();
        var reply = SlackRequests.Message("Raised the upload limit to 8 MB; retried and it worked", SlackRequests.NextTs(), threadTs: teamTs, channel: "C0DISPUTES", user: "UTEAM01");
        using (var replied = await host.Client.SendAsync(SlackRequests.Event(SlackRequests.Envelope(reply))))
        {
            replied.EnsureSuccessStatusCode();
        }

        await _slack.WaitForAsync("chat.postMessage", c => c.Field("channel") == SlackRequests.Channel && c.Field("text")!.Contains("upload limit", StringComparison.Ordinal));
        using (var resolve = await host.Client.SendAsync(SlackRequests.Interaction(Press("escalation.resolve", ButtonValue(opened, "escalation.resolve"), "C0DISPUTES", teamTs, null, "UTEAM01"))))
        {
            resolve.EnsureSuccessStatusCode();
        }

        var outcome = (await _slack.WaitForAsync("chat.postMessage", c => c.Field("thread_ts") == root && c.Field("text")!.Contains("Outcome:", StringComparison.Ordinal)))[0];
        Assert.Contains("Outcome: The upload limit was too low; the team raised it to 8 MB", outcome.Field("text")!, StringComparison.Ordinal);
        Assert.Contains(model.Requests, r => r.Prompt.Contains("how the specialist team resolved", StringComparison.Ordinal) && r.Prompt.Contains("Raised the upload limit to 8 MB", StringComparison.Ordinal));
    }
}
