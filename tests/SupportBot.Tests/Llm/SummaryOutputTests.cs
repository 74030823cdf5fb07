using SupportBot.Core.Conversations;
using SupportBot.Core.Escalations;
using SupportBot.Llm.Grounding;

namespace SupportBot.Tests.Llm;

public sealed class SummaryOutputTests
{
    private static readonly ConversationTurn[] Thread =
    [
        new(Speaker.User, "Chargeback on case 12346, evidence due today", DateTimeOffset.UnixEpoch),
        new(Speaker.Bot, "Submit evidence before the Respond by date [1].", DateTimeOffset.UnixEpoch),
    ];

    [Theory]
    [InlineData("{\"problem\":\"p\",\"tried\":\"t\",\"caseId\":\"12346\",\"ask\":\"a\"}")]
    [InlineData("Here is the summary:\n```json\n{\"problem\": \"p\", \"tried\": \"t\", \"caseId\": 12346, \"ask\": \"a\",}\n```")]
    public void The_json_object_is_read_even_inside_prose_or_a_fence(string output)
    {
        var parsed = SummaryOutput.Parse(output);

        Assert.Equal(new ModelSummary("p", "t", "12346", "a"), parsed);
    }

    [Theory]
    [InlineData("The merchant has a dispute.")]
    [InlineData("{not json}")]
    [InlineData("[\"problem\"]")]
    public void Anything_else_is_not_a_summary(string output) => Assert.Null(SummaryOutput.Parse(output));

    [Fact]
    public void Parts_are_masked_plain_and_clipped()
    {
        var summary = SummaryOutput.Check(
            new ModelSummary("Card 4242 4242 4242 4242 disputed, see https://evil.example @here " + new string('x', 400), "KB answer", "12346", "Decide today"),
            Thread, givenCaseId: null)!;

        Assert.DoesNotContain("4242 4242", summary.Problem, StringComparison.Ordinal);
        Assert.DoesNotContain("evil.example", summary.Problem, StringComparison.Ordinal);
        Assert.DoesNotContain("@here", summary.Problem, StringComparison.Ordinal);
        Assert.Equal(EscalationSummary.MaxPartLength, summary.Problem.Length);
        Assert.EndsWith("…", summary.Problem, StringComparison.Ordinal);
        Assert.Equal("12346", summary.CaseId);
    }

    [Theory]
    [InlineData("", "t", "a")]
    [InlineData("p", " ", "a")]
    [InlineData("p", "t", null)]
    public void A_missing_part_makes_the_summary_unusable(string? problem, string? tried, string? ask) =>
        Assert.Null(SummaryOutput.Check(new ModelSummary(problem, tried, null, ask), Thread, null));

    [Theory]
    [InlineData("99999", null, "12346")] // invented: the thread's own mention instead
    [InlineData("case #12346", null, "12346")]
    [InlineData(null, null, "12346")]
    [InlineData("12346", "55555", "55555")] // the agent named one: it wins
    public void The_case_id_is_never_one_the_model_invented(string? fromModel, string? given, string expected) =>
        Assert.Equal(expected, SummaryOutput.CaseIdFor(fromModel, Thread, given));

    [Fact]
    public void Without_any_case_in_the_thread_an_invented_one_is_dropped() =>
        Assert.Null(SummaryOutput.CaseIdFor("424242", [new(Speaker.User, "Payouts are late", DateTimeOffset.UnixEpoch)], null));
}
