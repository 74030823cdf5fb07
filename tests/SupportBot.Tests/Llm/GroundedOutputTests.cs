using SupportBot.Core.Answering;
using SupportBot.Llm.Grounding;

namespace SupportBot.Tests.Llm;

public sealed class GroundedOutputTests
{
    private static readonly SearchHit[] Passages =
    [
        Hit("a", "Responding to a dispute", null),
        Hit("b", "Dispute deadlines and fees", "Fees"),
        Hit("c", "Refunds", "Timing"),
    ];

    private static SearchHit Hit(string id, string title, string? section) =>
        new($"{id}#0", id, title, section, $"https://kb.example/{id}", "disputes", $"{id}.md", "text", 1f, 1, []);

    [Fact]
    public void Markers_are_renumbered_in_order_of_first_use_and_the_list_follows()
    {
        var result = GroundedOutput.Check("The fee is $15 [2]. Submit evidence first [1][2].", Passages);

        Assert.Equal("The fee is $15 [1]. Submit evidence first [2][1].", result.Text);
        Assert.Equal(["Dispute deadlines and fees — Fees", "Responding to a dispute"], result.Citations.Select(c => c.Title));
        Assert.Equal([1, 2], result.Citations.Select(c => c.N));
    }

    [Theory]
    [InlineData("Made up [7].", "Made up.")]
    [InlineData("Zero [0] and huge [99999999999].", "Zero and huge.")]
    [InlineData("Mixed [3, 8].", "Mixed [1].")]
    public void Markers_that_name_no_passage_are_dropped(string output, string expected) =>
        Assert.Equal(expected, GroundedOutput.Check(output, Passages).Text);

    [Fact]
    public void Output_without_valid_markers_has_no_citations() =>
        Assert.Empty(GroundedOutput.Check("Trust me [12].", Passages).Citations);

    [Theory]
    [InlineData("Ping @here and @channel now", "Ping here and channel now")]
    [InlineData("Tell <!everyone> and <!here|here>", "Tell  and here")]
    [InlineData("See [the docs](https://evil.example/x) now", "See the docs now")]
    [InlineData("Go to https://evil.example/phish please", "Go to [link removed] please")]
    [InlineData("Open <https://evil.example|this page>", "Open this page")]
    public void Output_is_plain_text_without_broadcasts_or_links(string output, string expected) =>
        Assert.Equal(expected, GroundedOutput.Sanitize(output));
}
