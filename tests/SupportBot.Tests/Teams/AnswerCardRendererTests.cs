using System.Text;
using System.Text.Json;
using SupportBot.Core.Answering;
using SupportBot.Core.Surfaces;
using SupportBot.Teams.Activities;
using SupportBot.Teams.Cards;

namespace SupportBot.Tests.Teams;

public sealed class AnswerCardRendererTests
{
    private static readonly Citation[] Citations =
    [
        new(1, "Responding to a dispute", "https://kb.paylane.example/disputes/responding-to-a-dispute", "a.md"),
        new(2, "Evidence", "https://kb.paylane.example/disputes/evidence", "b.md"),
    ];

    private static Reply Answer(string text) => new(ReplyKind.Answer, text, Citations, true, [ReplyAction.Helpful, ReplyAction.NotHelpful]);

    private static int Size(Activity activity) => Encoding.UTF8.GetByteCount(JsonSerializer.Serialize(activity, TeamsJson.Default.Activity));

    [Fact]
    public void Citations_are_numbered_links_and_every_button_has_a_submit_fallback_with_the_same_action()
    {
        var card = AnswerCardRenderer.Card(AnswerCardRenderer.Render(Answer("Upload evidence before the due date [1].")));

        var sources = card["body"]!.AsArray().Last()!["text"]!.GetValue<string>();
        Assert.Equal("1. [Responding to a dispute](https://kb.paylane.example/disputes/responding-to-a-dispute)\n2. [Evidence](https://kb.paylane.example/disputes/evidence)", sources);
        foreach (var action in card["actions"]!.AsArray())
        {
            Assert.Equal("Action.Execute", action!["type"]!.GetValue<string>());
            Assert.Equal("Action.Submit", action["fallback"]!["type"]!.GetValue<string>());
            Assert.Equal(action["verb"]!.GetValue<string>(), action["fallback"]!["data"]!["actionId"]!.GetValue<string>());
        }
    }

    [Fact]
    public void A_stale_source_says_it_may_be_outdated_on_the_card_and_in_the_plain_text()
    {
        Citation[] citations = [Citations[0] with { Updated = new DateOnly(2024, 3, 1), Stale = true }, Citations[1]];
        var reply = new Reply(ReplyKind.Answer, "Upload evidence before the due date [1].", citations, true, []);

        var sources = AnswerCardRenderer.Card(AnswerCardRenderer.Render(reply))["body"]!.AsArray().Last()!["text"]!.GetValue<string>();
        Assert.Equal("1. [Responding to a dispute](https://kb.paylane.example/disputes/responding-to-a-dispute) _(may be outdated: updated 2024-03-01)_\n2. [Evidence](https://kb.paylane.example/disputes/evidence)", sources);
        Assert.Contains("[1] Responding to a dispute (https://kb.paylane.example/disputes/responding-to-a-dispute) (may be outdated: updated 2024-03-01)", AnswerCardRenderer.PlainText(reply, reply.Text), StringComparison.Ordinal);
    }

    [Fact]
    public void The_summary_is_plain_text_and_the_fallback_text_lists_the_sources()
    {
        var activity = AnswerCardRenderer.Render(Answer("Upload evidence before the due date [1]."));

        Assert.Equal("Upload evidence before the due date.", activity.Summary);
        Assert.Contains("[1] Responding to a dispute (https://kb.paylane.example/disputes/responding-to-a-dispute)", AnswerCardRenderer.Card(activity)["fallbackText"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_long_answer_is_trimmed_at_a_sentence_to_fit_the_Teams_message_limit_keeping_sources_and_buttons()
    {
        var sentence = "Submit the evidence before the deadline shown in the dashboard [1]. ";
        var activity = AnswerCardRenderer.Render(Answer(string.Concat(Enumerable.Repeat(sentence, 3000))));
        var card = AnswerCardRenderer.Card(activity);
        var text = card["body"]![0]!["text"]!.GetValue<string>();

        Assert.InRange(Size(activity), 10 * 1024, AnswerCardRenderer.MaxActivityBytes);
        Assert.Contains("[1]. … (shortened", text, StringComparison.Ordinal);
        Assert.Equal(4, card["actions"]!.AsArray().Count);
        Assert.Contains("evidence", card["body"]!.AsArray().Last()!["text"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_short_answer_is_not_trimmed()
    {
        var text = "Upload evidence before the due date [1].";
        var card = AnswerCardRenderer.Card(AnswerCardRenderer.Render(Answer(text)));

        Assert.Equal(text, card["body"]![0]!["text"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("One. Two three four five six.", 20, "One. Two three four")]  // a sentence end this early would lose too much
    [InlineData("Alpha beta gamma delta epsilon", 14, "Alpha beta")]
    [InlineData("First sentence here. Second", 25, "First sentence here.")]
    public void Trimming_cuts_at_a_sentence_or_a_word(string text, int max, string expected) =>
        Assert.Equal(expected, AnswerCardRenderer.Trim(text, max));
}
