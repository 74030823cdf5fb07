using SupportBot.Core.Conversations;
using SupportBot.Core.Escalations;

namespace SupportBot.Tests.Escalations;

public sealed class HeuristicEscalationSummarizerTests
{
    private static ConversationTurn Turn(string speaker, string text) => new(speaker, text, DateTimeOffset.UnixEpoch);

    [Fact]
    public async Task The_first_question_is_the_problem_and_the_last_answer_what_was_tried()
    {
        var summary = await new HeuristicEscalationSummarizer().SummarizeAsync(
            [
                Turn(Speaker.User, "Why was the payout for case 12346 held?"),
                Turn(Speaker.Bot, "Payouts are held during a risk review [1]."),
                Turn(Speaker.User, "Can we release it early?"),
            ],
            reason: null, caseId: null, default);

        Assert.Equal("Why was the payout for case 12346 held?", summary.Problem);
        Assert.Equal("knowledge-base answer: Payouts are held during a risk review [1].", summary.Tried);
        Assert.Equal("12346", summary.CaseId);
        Assert.Equal("Can we release it early?", summary.Ask);
    }

    [Fact]
    public void Case_mentions_are_listed_in_order()
    {
        var ids = HeuristicEscalationSummarizer.MentionedCaseIds([Turn(Speaker.User, "case 12346 and case #777"), Turn(Speaker.User, "Case 9001")]);

        Assert.Equal(["12346", "777", "9001"], ids);
    }
}
