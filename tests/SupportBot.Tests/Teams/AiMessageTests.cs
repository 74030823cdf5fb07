using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SupportBot.Core.Answering;
using SupportBot.Core.Surfaces;
using SupportBot.Teams.Activities;
using SupportBot.Teams.Cards;

namespace SupportBot.Tests.Teams;

/// <summary>Answers as Teams AI messages, within the limits Microsoft documents for citations.</summary>
public sealed class AiMessageTests
{
    private static Reply Answer(string text, IReadOnlyList<Citation> citations) =>
        Reply.FromAnswer(new Answer(text, citations, Confident: true, Provider: "extractive"), "a:1|1767765488332");

    private static JsonObject Json(Activity activity) =>
        JsonNode.Parse(JsonSerializer.Serialize(activity, TeamsJson.Default.Activity))!.AsObject();

    private static JsonObject MessageEntity(JsonObject activity) =>
        activity["entities"]!.AsArray().OfType<JsonObject>().Single(e => e["type"]!.GetValue<string>() == "https://schema.org/Message");

    [Fact]
    public void Citations_are_cut_to_twenty_and_each_name_and_abstract_to_teams_limits()
    {
        var citations = Enumerable.Range(1, 25)
            .Select(n => new Citation(n, "Responding to a dispute when the customer says the goods never arrived — Evidence for non-receipt " + n, $"https://kb.paylane.example/{n}", "a.md", Excerpt: string.Concat(Enumerable.Repeat("Upload the delivery proof. ", 20))))
            .ToList();

        var activity = Json(AnswerCardRenderer.Render(Answer("See [1] and [25].", citations), aiMessages: true));

        var claims = MessageEntity(activity)["citation"]!.AsArray();
        Assert.Equal(20, claims.Count);
        Assert.Equal(Enumerable.Range(1, 20), claims.Select(c => c!["position"]!.GetValue<int>()));
        Assert.All(claims, c =>
        {
            Assert.InRange(c!["appearance"]!["name"]!.GetValue<string>().Length, 1, AiMessage.MaxName);
            Assert.InRange(c["appearance"]!["abstract"]!.GetValue<string>().Length, 1, AiMessage.MaxAbstract);
            Assert.EndsWith("…", c["appearance"]!["abstract"]!.GetValue<string>(), StringComparison.Ordinal);
        });
    }

    [Fact]
    public void A_stale_source_says_so_in_its_abstract_and_a_source_without_a_web_link_has_no_url()
    {
        Citation[] citations =
        [
            new(1, "Payout schedule", "https://kb.paylane.example/payouts", "a.md", Updated: new DateOnly(2024, 3, 1), Stale: true, Excerpt: "Payouts arrive in 2 business days."),
            new(2, "Internal runbook", "runbooks/payouts.md", "b.md"),
        ];

        var claims = MessageEntity(Json(AnswerCardRenderer.Render(Answer("Two days [1][2].", citations), aiMessages: true)))["citation"]!.AsArray();

        Assert.Equal("(may be outdated: updated 2024-03-01) Payouts arrive in 2 business days.", claims[0]!["appearance"]!["abstract"]!.GetValue<string>());
        Assert.False(claims[1]!["appearance"]!.AsObject().ContainsKey("url"));
        Assert.False(claims[1]!["appearance"]!.AsObject().ContainsKey("abstract"));
    }

    [Fact]
    public void An_ai_answer_has_its_text_outside_the_card_teams_feedback_buttons_and_no_helpful_buttons_and_other_replies_stay_cards()
    {
        Citation[] citations = [new(1, "Responding to a dispute", "https://kb.paylane.example/disputes", "a.md")];
        var answer = Json(AnswerCardRenderer.Render(Answer("Upload evidence [1].", citations), aiMessages: true));
        var card = answer["attachments"]![0]!["content"]!;

        Assert.Equal("Upload evidence [1].", answer["text"]!.GetValue<string>());
        Assert.Equal(["AIGeneratedContent"], MessageEntity(answer)["additionalType"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.Equal("default", answer["channelData"]!["feedbackLoop"]!["type"]!.GetValue<string>());
        Assert.Equal(["draft.reply", "escalate"], card["actions"]!.AsArray().Select(a => a!["verb"]!.GetValue<string>()));
        Assert.DoesNotContain(card["body"]!.AsArray(), b => b!["text"]!.GetValue<string>() == "Upload evidence [1].");

        var notice = Json(AnswerCardRenderer.Render(Reply.Notice("ESC-1001 is open."), aiMessages: true));
        Assert.Null(notice["entities"]);
        Assert.Null(notice["channelData"]);
        Assert.Equal("ESC-1001 is open.", notice["attachments"]![0]!["content"]!["body"]![0]!["text"]!.GetValue<string>());
    }

    [Fact]
    public void A_long_ai_answer_is_trimmed_to_fit_the_teams_message_limit()
    {
        Citation[] citations = [new(1, "Responding to a dispute", "https://kb.paylane.example/disputes", "a.md", Excerpt: "Upload the evidence.")];
        var sentence = "Submit the evidence before the deadline shown in the dashboard [1]. ";
        var activity = AnswerCardRenderer.Render(Answer(string.Concat(Enumerable.Repeat(sentence, 3000)), citations), aiMessages: true);

        Assert.InRange(Encoding.UTF8.GetByteCount(JsonSerializer.Serialize(activity, TeamsJson.Default.Activity)), 10 * 1024, AnswerCardRenderer.MaxActivityBytes);
        Assert.Contains("[1]. … (shortened", activity.Text, StringComparison.Ordinal);
        Assert.Single(activity.Entities!, e => e.Type == AiMessage.MessageEntityType);
    }
}
