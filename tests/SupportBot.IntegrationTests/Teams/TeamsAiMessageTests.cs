using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using SupportBot.Core.Insights;
using SupportBot.IntegrationTests.Infrastructure;

namespace SupportBot.IntegrationTests.Teams;

/// <summary>
/// Answers as Teams AI messages (the AI label and citations in a schema.org Message entity, Teams' feedback buttons)
/// and the feedback those buttons send (<c>message/submitAction</c>), end to end through the real host.
/// </summary>
public sealed class TeamsAiMessageTests(TeamsHostFixture fixture) : IClassFixture<TeamsHostFixture>
{
    private BotFrameworkStandIn BotFramework => fixture.BotFramework;

    private static string? Str(JsonNode? node) => node?.GetValue<string>();

    /// <summary>Asks in a personal chat of its own; the answer message the Connector took, and the answer's id (its delivery id).</summary>
    private async Task<(ConnectorRequest Answer, string ConversationId, string AnswerId)> AskAsync(string question)
    {
        var activity = TeamsActivities.Personal(BotFramework.ServiceUrl, question);
        var conversationId = activity["conversation"]!["id"]!.GetValue<string>();
        using (var response = await TeamsActivities.PostAsync(fixture.Host.Client, activity, BotFramework.MintToken()))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        await RedisServer.WaitUntilAsync(
            () => Task.FromResult(fixture.RequestsFor(conversationId).Any(r => Str(r.Body["type"]) == "message")), TimeSpan.FromSeconds(20), "no answer");
        var answer = fixture.RequestsFor(conversationId).Single(r => Str(r.Body["type"]) == "message");
        return (answer, conversationId, $"{conversationId}|{activity["id"]}");
    }

    /// <summary>Microsoft's sample feedback invoke, addressed to the bot in <paramref name="conversationId"/> about message <paramref name="replyToId"/>.</summary>
    private JsonObject FeedbackInvoke(string conversationId, string replyToId, string reaction, string text)
    {
        var invoke = TeamsActivities.Personal(BotFramework.ServiceUrl, string.Empty, conversationId: conversationId);
        invoke.Remove("text");
        foreach (var (name, value) in TeamsSamples.Load("feedback-submit-action.json"))
        {
            invoke[name] = value!.DeepClone();
        }

        invoke["replyToId"] = replyToId;
        invoke["value"]!["actionValue"]!["reaction"] = reaction;
        invoke["value"]!["actionValue"]!["feedback"] = new JsonObject { ["feedbackText"] = text }.ToJsonString();
        return invoke;
    }

    private async Task<FeedbackRecord?> FeedbackForAsync(string answerId) =>
        (await fixture.Host.Services.GetRequiredService<IInsightsStore>().GetSnapshotAsync(100, CancellationToken.None)).Feedback.FirstOrDefault(f => f.AnswerId == answerId);

    [Fact]
    public async Task An_answer_is_an_ai_message_with_numbered_citations_the_label_and_feedback_buttons_and_the_card_keeps_its_other_buttons()
    {
        var (answer, _, _) = await AskAsync("How do I respond to a dispute?");

        var text = Str(answer.Body["text"])!;
        Assert.Matches(@"\[1\]", text);
        var entity = Assert.Single(answer.Body["entities"]!.AsArray(), e => Str(e!["type"]) == "https://schema.org/Message")!;
        Assert.Equal(("Message", "https://schema.org", string.Empty), (Str(entity["@type"]), Str(entity["@context"]), Str(entity["@id"])));
        Assert.Equal(["AIGeneratedContent"], entity["additionalType"]!.AsArray().Select(Str));

        // One claim per source, numbered as the text's markers and the card's list of sources.
        var card = answer.Body["attachments"]![0]!["content"]!;
        var sources = card["body"]!.AsArray().Select(b => Str(b!["text"])).Single(t => t?.StartsWith("1. ", StringComparison.Ordinal) == true)!.Split('\n');
        var claims = entity["citation"]!.AsArray().Select(c => c!.AsObject()).ToList();
        Assert.Equal(Enumerable.Range(1, sources.Length), claims.Select(c => c["position"]!.GetValue<int>()));
        foreach (var number in System.Text.RegularExpressions.Regex.Matches(text, @"\[(\d+)\]").Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)))
        {
            Assert.Contains(claims, c => c["position"]!.GetValue<int>() == number);
        }

        for (var i = 0; i < claims.Count; i++)
        {
            var appearance = claims[i]["appearance"]!;
            Assert.Equal(("Claim", "DigitalDocument"), (Str(claims[i]["@type"]), Str(appearance["@type"])));
            var name = Str(appearance["name"])!;
            Assert.InRange(name.Length, 1, 80);
            Assert.Contains($"[{name.TrimEnd('…')}", sources[i], StringComparison.Ordinal);
            Assert.Contains($"]({Str(appearance["url"])})", sources[i], StringComparison.Ordinal);
            Assert.InRange(Str(appearance["abstract"])!.Length, 1, 160);
        }

        Assert.Equal("default", Str(answer.Body["channelData"]!["feedbackLoop"]!["type"]));
        Assert.Null(answer.Body["channelData"]!["feedbackLoopEnabled"]); // Teams refuses a message that sets both
        Assert.Equal(["draft.reply", "escalate"], card["actions"]!.AsArray().Select(a => Str(a!["verb"])));
        Assert.DoesNotContain(card["body"]!.AsArray(), b => Str(b!["text"]) == text); // the text is the message's, not the card's

        TeamsSamples.AssertSameShape(
            TeamsSamples.Load("ai-message-citations.json"),
            answer.Body,
            "entities[].citation[].appearance.text",
            "entities[].citation[].appearance.keywords",
            "entities[].citation[].appearance.encodingFormat",
            "entities[].citation[].appearance.image");
    }

    [Fact]
    public async Task Feedback_from_teams_buttons_is_kept_with_the_answer_the_message_carries_and_its_text_masked()
    {
        var (answer, conversationId, answerId) = await AskAsync("Why is a payout delayed?");
        // A later answer in the same chat: the feedback must go to the message it was given on, not the latest answer.
        var activity = TeamsActivities.Personal(BotFramework.ServiceUrl, "How do I respond to a dispute?", conversationId: conversationId);
        using (await TeamsActivities.PostAsync(fixture.Host.Client, activity, BotFramework.MintToken()))
        {
        }

        await RedisServer.WaitUntilAsync(
            () => Task.FromResult(fixture.RequestsFor(conversationId).Count(r => Str(r.Body["type"]) == "message") == 2), TimeSpan.FromSeconds(20), "no second answer");

        var invoke = FeedbackInvoke(conversationId, answer.ResponseId!, "dislike", "The fee is wrong; my card 4242 4242 4242 4242 was charged twice");
        using var response = await TeamsActivities.PostAsync(fixture.Host.Client, invoke, BotFramework.MintToken());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync()); // Teams refuses a non-empty answer to this invoke
        FeedbackRecord? record = null;
        await RedisServer.WaitUntilAsync(async () => (record = await FeedbackForAsync(answerId)) is not null, TimeSpan.FromSeconds(10), "the feedback was never stored");
        Assert.False(record!.Helpful);
        Assert.Equal(("teams", "Why is a payout delayed?"), (record.Surface, record.Question));
        Assert.NotEmpty(record.Sources);
        Assert.StartsWith("The fee is wrong; my card [card ••••4242]", record.Comment, StringComparison.Ordinal);
        Assert.DoesNotContain("4242 4242", record.Comment, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Feedback_naming_a_message_of_another_conversation_is_not_counted_for_that_answer()
    {
        var (answer, _, answerId) = await AskAsync("How do I respond to a dispute?");
        var elsewhere = "a:" + Guid.NewGuid().ToString("N");

        using var response = await TeamsActivities.PostAsync(fixture.Host.Client, FeedbackInvoke(elsewhere, answer.ResponseId!, "dislike", "not mine to rate"), BotFramework.MintToken());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // Counted under the message it named, which carries no answer in that conversation.
        await RedisServer.WaitUntilAsync(async () => await FeedbackForAsync(answer.ResponseId!) is not null, TimeSpan.FromSeconds(10), "the vote was never taken");
        Assert.Null(await FeedbackForAsync(answerId));
    }

    [Fact]
    public async Task A_like_counts_as_helpful()
    {
        var insights = fixture.Host.Services.GetRequiredService<IInsightsStore>();
        var (answer, conversationId, answerId) = await AskAsync("How do I respond to a dispute?");
        var before = (await insights.GetSnapshotAsync(0, CancellationToken.None)).Totals.Helpful;

        using var response = await TeamsActivities.PostAsync(fixture.Host.Client, FeedbackInvoke(conversationId, answer.ResponseId!, "like", string.Empty), BotFramework.MintToken());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        FeedbackRecord? record = null;
        await RedisServer.WaitUntilAsync(async () => (record = await FeedbackForAsync(answerId)) is not null, TimeSpan.FromSeconds(10), "the feedback was never stored");
        Assert.True(record!.Helpful);
        Assert.Null(record.Comment);
        Assert.Equal(before + 1, (await insights.GetSnapshotAsync(0, CancellationToken.None)).Totals.Helpful);
    }

    [Fact]
    public async Task Feedback_without_a_valid_bot_framework_token_is_refused_and_not_kept()
    {
        var (answer, conversationId, answerId) = await AskAsync("How do I respond to a dispute?");
        var invoke = FeedbackInvoke(conversationId, answer.ResponseId!, "dislike", "unsigned");

        using (var none = await TeamsActivities.PostAsync(fixture.Host.Client, invoke, token: null))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        }

        using (var forged = await TeamsActivities.PostAsync(fixture.Host.Client, invoke, BotFramework.MintToken(BotFrameworkStandIn.NewKey("not-published"))))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        }

        using (var unsigned = await TeamsActivities.PostAsync(fixture.Host.Client, invoke, BotFramework.MintUnsignedToken()))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, unsigned.StatusCode);
        }

        await Task.Delay(500);
        Assert.Null(await FeedbackForAsync(answerId));
        Assert.False(await fixture.WasTakenAsync(invoke));
    }

    [Fact]
    public async Task A_feedback_invoke_without_a_reaction_is_a_bad_request_and_another_submit_action_is_not_handled()
    {
        var (answer, conversationId, _) = await AskAsync("How do I respond to a dispute?");
        var noReaction = FeedbackInvoke(conversationId, answer.ResponseId!, "like", "x");
        noReaction["value"]!["actionValue"]!.AsObject().Remove("reaction");
        var other = FeedbackInvoke(conversationId, answer.ResponseId!, "like", "x");
        other["value"]!["actionName"] = "send";

        using var bad = await TeamsActivities.PostAsync(fixture.Host.Client, noReaction, BotFramework.MintToken());
        using var unhandled = await TeamsActivities.PostAsync(fixture.Host.Client, other, BotFramework.MintToken());

        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(HttpStatusCode.NotImplemented, unhandled.StatusCode);
    }
}
