using Microsoft.Extensions.Options;
using SupportBot.Core.Answering;

namespace SupportBot.Tests.Answering;

public sealed class ExtractiveDrafterTests
{
    private readonly ExtractiveDrafter _drafter = new(Options.Create(new AnsweringOptions { MinCoverage = 0.55 }));

    private static SearchHit Hit(string article, double coverage, float score, params string[] sentences) =>
        new($"{article}#0", article, $"Title {article}", "Section", $"https://kb.example/{article}", "disputes", $"{article}.md",
            string.Join(' ', sentences), score, coverage, sentences);

    [Fact]
    public void Answer_cites_each_source_it_uses_with_a_numbered_marker()
    {
        var answer = _drafter.Draft([
            Hit("a", 1.0, 10f, "Submit evidence before the Respond by date.", "Only one submission is allowed."),
            Hit("b", 0.9, 8f, "The dispute fee is $15."),
        ]);

        Assert.True(answer.Confident);
        Assert.Equal("extractive", answer.Provider);
        Assert.Contains("Submit evidence before the Respond by date. Only one submission is allowed. [1]", answer.Text, StringComparison.Ordinal);
        Assert.Contains("The dispute fee is $15. [2]", answer.Text, StringComparison.Ordinal);
        Assert.Equal([1, 2], answer.Citations.Select(c => c.N));
        Assert.Equal("https://kb.example/b", answer.Citations[1].Url);
        Assert.Equal("Title a — Section", answer.Citations[0].Title);
    }

    [Fact]
    public void Weak_evidence_is_not_confident_and_says_so_plainly()
    {
        var answer = _drafter.Draft([Hit("a", 0.3, 3f, "Unrelated sentence.")]);

        Assert.False(answer.Confident);
        Assert.StartsWith("I don't know", answer.Text, StringComparison.Ordinal);
        Assert.Contains("escalate", answer.Text, StringComparison.Ordinal);
        Assert.Single(answer.Citations);
    }

    [Fact]
    public void No_passages_means_no_answer_and_no_citations()
    {
        var answer = _drafter.Draft([]);

        Assert.False(answer.Confident);
        Assert.Empty(answer.Citations);
        Assert.Contains("escalat", answer.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Much_weaker_passages_and_repeats_of_an_article_are_left_out()
    {
        var answer = _drafter.Draft([
            Hit("a", 1.0, 10f, "First."),
            Hit("a", 1.0, 9f, "Same article again."),
            Hit("c", 1.0, 2f, "Far weaker score."),
            Hit("d", 0.2, 9f, "Barely on topic."),
        ]);

        Assert.Single(answer.Citations);
        Assert.DoesNotContain("[2]", answer.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_marker_in_the_text_has_a_citation()
    {
        var answer = _drafter.Draft([
            Hit("a", 1.0, 10f, "One."), Hit("b", 1.0, 9f, "Two."), Hit("c", 1.0, 9f, "Three."), Hit("d", 1.0, 9f, "Four."),
        ]);

        var markers = System.Text.RegularExpressions.Regex.Matches(answer.Text, @"\[(\d+)\]").Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
        Assert.All(markers, n => Assert.Contains(answer.Citations, c => c.N == n));
        Assert.Equal(3, answer.Citations.Count);
    }
}
