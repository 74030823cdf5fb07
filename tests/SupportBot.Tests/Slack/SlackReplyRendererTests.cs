using System.Text.Json;
using SupportBot.Core.Answering;
using SupportBot.Core.Surfaces;
using SupportBot.Slack.BlockKit;

namespace SupportBot.Tests.Slack;

public sealed class SlackReplyRendererTests
{
    private static Reply Answer(string text, params Citation[] citations) =>
        Reply.FromAnswer(new Answer(text, citations, Confident: true, "extractive"));

    private static List<JsonElement> Blocks(SlackRenderedReply rendered) =>
        JsonDocument.Parse(rendered.Blocks.ToJsonString()).RootElement.EnumerateArray().ToList();

    [Fact]
    public void An_answer_has_sections_numbered_source_links_buttons_and_a_text_fallback()
    {
        var rendered = SlackReplyRenderer.Render(Answer(
            "Respond before the deadline [1]. Attach proof of delivery [2].",
            new Citation(1, "Responding to disputes", "https://kb.example/disputes", "disputes.md"),
            new Citation(2, "Evidence", "https://kb.example/evidence?a=1&b=2", "evidence.md")));
        var blocks = Blocks(rendered);

        Assert.Equal("section", blocks[0].GetProperty("type").GetString());
        Assert.Equal("Respond before the deadline [1]. Attach proof of delivery [2].", blocks[0].GetProperty("text").GetProperty("text").GetString());
        var sources = blocks[1].GetProperty("text").GetProperty("text").GetString()!;
        Assert.Contains("[1] <https://kb.example/disputes|Responding to disputes>", sources, StringComparison.Ordinal);
        Assert.Contains("[2] <https://kb.example/evidence?a=1&amp;b=2|Evidence>", sources, StringComparison.Ordinal);
        var buttons = blocks[^1].GetProperty("elements").EnumerateArray().ToList();
        Assert.Equal(["Helpful", "Not helpful", "Draft customer reply", "Escalate"], buttons.Select(b => b.GetProperty("text").GetProperty("text").GetString()));
        Assert.Equal(["feedback.helpful", "feedback.not_helpful", "draft.reply", "escalate"], buttons.Select(b => b.GetProperty("action_id").GetString()));

        Assert.StartsWith("Respond before the deadline [1].", rendered.Text, StringComparison.Ordinal);
        Assert.Contains("Sources:", rendered.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_stale_source_says_it_may_be_outdated_in_the_blocks_and_the_fallback_text()
    {
        var rendered = SlackReplyRenderer.Render(Answer(
            "Refunds take 5–10 days [1]. Partial refunds too [2].",
            new Citation(1, "Refunds", "https://kb.example/refunds", "refunds.md", "refunds", new DateOnly(2024, 3, 1), Stale: true),
            new Citation(2, "Partial refunds", "https://kb.example/partial", "partial.md", "partial", new DateOnly(2026, 11, 1))));

        var sources = Blocks(rendered)[1].GetProperty("text").GetProperty("text").GetString()!;
        Assert.Contains("[1] <https://kb.example/refunds|Refunds> _(may be outdated: updated 2024-03-01)_", sources, StringComparison.Ordinal);
        Assert.DoesNotContain("[2] <https://kb.example/partial|Partial refunds> _(", sources, StringComparison.Ordinal);
        Assert.Contains("(may be outdated: updated 2024-03-01)", rendered.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Control_characters_and_broadcasts_in_answer_text_are_neutralised()
    {
        var rendered = SlackReplyRenderer.Render(Answer("Fees < 2% & refunds > 0. <!everyone> <@U123> @here @channel <https://evil|click>"));
        var text = Blocks(rendered)[0].GetProperty("text").GetProperty("text").GetString()!;
        Assert.DoesNotContain('<', text);
        Assert.DoesNotContain('>', text);
        Assert.Contains("Fees &lt; 2% &amp; refunds &gt; 0.", text, StringComparison.Ordinal);
        Assert.DoesNotContain("@here", text, StringComparison.Ordinal);
        Assert.DoesNotContain("@channel", text, StringComparison.Ordinal);
        Assert.DoesNotContain("<!", rendered.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("@here", rendered.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_long_answer_is_split_at_sentence_ends_within_the_section_limit()
    {
        var sentences = Enumerable.Range(1, 400).Select(i => $"Sentence number {i} explains one more detail of payouts.");
        var text = string.Join(' ', sentences);
        var rendered = SlackReplyRenderer.Render(Answer(text));
        var sections = Blocks(rendered).Where(b => b.GetProperty("type").GetString() == "section").Select(b => b.GetProperty("text").GetProperty("text").GetString()!).ToList();

        Assert.True(sections.Count > 1);
        Assert.All(sections, s => Assert.InRange(s.Length, 1, SlackReplyRenderer.MaxSectionText));
        Assert.All(sections, s => Assert.EndsWith("payouts.", s, StringComparison.Ordinal));
        Assert.Equal(text, string.Join(' ', sections));
    }

    [Fact]
    public void Paragraph_breaks_are_preferred_over_sentence_ends()
    {
        var first = string.Join(' ', Enumerable.Repeat("A short sentence.", 100));
        var second = string.Join(' ', Enumerable.Repeat("Another sentence here.", 100));
        var pieces = SlackText.Split(first + "\n\n" + second, 3_000);
        Assert.Equal([first, second], pieces);
    }

    [Fact]
    public void A_huge_answer_stays_within_fifty_blocks_and_says_it_was_shortened()
    {
        var text = string.Join("\n\n", Enumerable.Range(1, 80).Select(i => new string('x', 2_000) + $" paragraph {i}."));
        var rendered = SlackReplyRenderer.Render(Answer(text, new Citation(1, "T", "https://kb.example/t", "t.md")));
        var blocks = Blocks(rendered);
        Assert.Equal(SlackReplyRenderer.MaxBlocks, blocks.Count);
        Assert.Contains(blocks, b => b.GetProperty("type").GetString() == "context");
        Assert.Equal("actions", blocks[^1].GetProperty("type").GetString());
        Assert.InRange(rendered.Text.Length, 1, SlackReplyRenderer.MaxFallbackText);
    }

    [Fact]
    public void Words_without_breaks_are_cut_hard_but_never_inside_an_entity()
    {
        var text = new string('a', 2_998) + "&amp;" + new string('b', 10);
        var pieces = SlackText.Split(text, 3_000);
        Assert.Equal(new string('a', 2_998), pieces[0]);
        Assert.StartsWith("&amp;", pieces[1], StringComparison.Ordinal);
    }

    [Fact]
    public void A_reply_that_already_offers_a_draft_keeps_one_draft_button()
    {
        var reply = new Reply(ReplyKind.Answer, "text", [], true, [ReplyAction.Helpful, new ReplyAction("draft.reply", "Draft customer reply")]);
        var ids = Blocks(SlackReplyRenderer.Render(reply))[^1].GetProperty("elements").EnumerateArray().Select(b => b.GetProperty("action_id").GetString()).ToList();
        Assert.Equal(["feedback.helpful", "draft.reply", "escalate"], ids);
    }

    [Fact]
    public void A_notice_has_no_buttons()
    {
        var rendered = SlackReplyRenderer.Render(Reply.Notice("Sorry — try again."));
        var blocks = Blocks(rendered);
        Assert.Single(blocks);
        Assert.Equal("Sorry — try again.", rendered.Text);
    }
}
