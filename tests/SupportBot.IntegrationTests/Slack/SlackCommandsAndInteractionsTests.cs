using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using SupportBot.Core.Insights;
using SupportBot.IntegrationTests.Infrastructure;
using static SupportBot.IntegrationTests.Slack.SlackRequests;

namespace SupportBot.IntegrationTests.Slack;

public sealed class SlackCommandsAndInteractionsTests : SlackHostTests
{
    private async Task<JsonElement> CommandAsync(string command, string text)
    {
        var response = await SendAsync(Command(command, text));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }

    [Fact]
    public async Task Kb_lists_the_top_articles_as_links_only_to_the_caller()
    {
        var answer = await CommandAsync("/kb", "dispute evidence");
        Assert.Equal("ephemeral", answer.GetProperty("response_type").GetString());
        var text = answer.GetProperty("text").GetString()!;
        Assert.StartsWith("Top articles for “dispute evidence”", text, StringComparison.Ordinal);
        Assert.Contains("1. <", text, StringComparison.Ordinal);
        Assert.Contains("|", text, StringComparison.Ordinal);
        Assert.InRange(text.Split('\n').Count(l => l.Length > 2 && char.IsDigit(l[0]) && l[1] == '.'), 1, 5);
        Assert.True(answer.GetProperty("blocks").GetArrayLength() >= 2);
    }

    [Fact]
    public async Task Case_shows_the_case_to_the_asker_masked()
    {
        var answer = await CommandAsync("/case", "12345");
        var text = answer.GetProperty("text").GetString()!;

        Assert.StartsWith("Case 12345: Payout po_1Q2w3E failed", text, StringComparison.Ordinal);
        Assert.Contains("[iban DE••••3000]", text, StringComparison.Ordinal);
        Assert.DoesNotContain("DE89370400440532013000", text, StringComparison.Ordinal);
        Assert.NotEqual("in_channel", answer.TryGetProperty("response_type", out var type) ? type.GetString() : null);
        Assert.Equal("No case 48213 was found.", (await CommandAsync("/case", "48213")).GetProperty("text").GetString());
    }

    [Theory]
    [InlineData("/supportbot", "help")]
    [InlineData("/supportbot", "")]
    [InlineData("/supportbot", "make coffee")]
    [InlineData("/unknown", "anything")]
    [InlineData("/kb", "   ")]
    public async Task Help_empty_and_unknown_input_get_usage_help(string command, string text)
    {
        var answer = await CommandAsync(command, text);
        Assert.Contains("/kb QUERY", answer.GetProperty("text").GetString()!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_both_slack_secrets_the_slack_routes_do_not_exist()
    {
        await using var plain = await BotHost.StartAsync();
        using var request = SignedRequest("/slack/events", "{\"type\":\"url_verification\",\"challenge\":\"x\"}", "application/json");
        var response = await plain.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Ssl_check_is_answered_with_an_empty_200()
    {
        var response = await SendAsync(SignedRequest("/slack/commands", "ssl_check=1&token=legacy", "application/x-www-form-urlencoded"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsStringAsync());
    }

    private static JsonObject BlockAction(string actionId, string messageTs, string user = "UAGENT01") => new()
    {
        ["type"] = "block_actions",
        ["team"] = new JsonObject { ["id"] = "T0001", ["domain"] = "paylane" },
        ["user"] = new JsonObject { ["id"] = user, ["username"] = "agent", ["team_id"] = "T0001" },
        ["api_app_id"] = "A0001",
        ["container"] = new JsonObject { ["type"] = "message", ["message_ts"] = messageTs, ["channel_id"] = Channel, ["is_ephemeral"] = false },
        ["trigger_id"] = "1.2.trigger",
        ["channel"] = new JsonObject { ["id"] = Channel, ["name"] = "support" },
        ["message"] = new JsonObject { ["ts"] = messageTs, ["thread_ts"] = "1700000000.000001", ["text"] = "answer" },
        ["response_url"] = "https://hooks.slack.invalid/actions/T0001/1/x",
        ["actions"] = new JsonArray(new JsonObject { ["action_id"] = actionId, ["block_id"] = "supportbot.actions", ["value"] = actionId, ["type"] = "button", ["action_ts"] = "1700000001.000001" }),
    };

    [Fact]
    public async Task Feedback_buttons_are_recorded_once_per_person_and_reply()
    {
        var insights = Bot.Services.GetRequiredService<IInsightsStore>();
        var before = (await insights.GetSnapshotAsync(1, CancellationToken.None)).Totals;

        Assert.Equal(HttpStatusCode.OK, (await SendAsync(Interaction(BlockAction("feedback.helpful", "1700000000.000101")))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(Interaction(BlockAction("feedback.helpful", "1700000000.000101")))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(Interaction(BlockAction("feedback.not_helpful", "1700000000.000102")))).StatusCode);

        InsightsTotals after = before;
        await RedisServer.WaitUntilAsync(async () =>
        {
            after = (await insights.GetSnapshotAsync(1, CancellationToken.None)).Totals;
            return after.Helpful > before.Helpful && after.NotHelpful > before.NotHelpful;
        }, TimeSpan.FromSeconds(10), "feedback was not recorded");
        await Task.Delay(300);
        after = (await insights.GetSnapshotAsync(1, CancellationToken.None)).Totals;
        Assert.Equal(before.Helpful + 1, after.Helpful);
        Assert.Equal(before.NotHelpful + 1, after.NotHelpful);
    }

    [Fact]
    public async Task The_draft_button_is_handed_to_the_pipeline_once_per_person_and_reply()
    {
        var messageTs = NextTs();
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(Interaction(BlockAction("draft.reply", messageTs, user: "UAGENT08")))).StatusCode);
        // The gateway claimed the delivery: a second click of the same person on the same reply is a duplicate.
        var deduplicator = Bot.Services.GetRequiredService<SupportBot.Core.State.IDeduplicator>();
        Assert.False(await deduplicator.TryClaimAsync($"inbound:slack:{Channel}:{messageTs}:UAGENT08:draft.reply", TimeSpan.FromMinutes(1), CancellationToken.None));
        Assert.True(await deduplicator.TryClaimAsync($"inbound:slack:{Channel}:{messageTs}:UAGENT09:draft.reply", TimeSpan.FromMinutes(1), CancellationToken.None));
    }

    [Fact]
    public async Task View_submissions_shortcuts_and_unknown_actions_are_acknowledged()
    {
        var view = new JsonObject { ["type"] = "view_submission", ["team"] = new JsonObject { ["id"] = "T0001" }, ["user"] = new JsonObject { ["id"] = "UAGENT01" }, ["view"] = new JsonObject { ["callback_id"] = "escalation", ["state"] = new JsonObject() } };
        var shortcut = new JsonObject { ["type"] = "message_action", ["callback_id"] = "ask_supportbot", ["user"] = new JsonObject { ["id"] = "UAGENT01" } };
        foreach (var payload in new[] { view, shortcut, BlockAction("something.else", NextTs()), new JsonObject { ["type"] = "block_suggestion" } })
        {
            var response = await SendAsync(Interaction(payload));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    [Fact]
    public async Task An_interaction_without_a_payload_is_a_bad_request()
    {
        var response = await SendAsync(SignedRequest("/slack/interactions", "foo=bar", "application/x-www-form-urlencoded"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var malformed = await SendAsync(SignedRequest("/slack/interactions", "payload=%7Bnot-json", "application/x-www-form-urlencoded"));
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
    }
}
