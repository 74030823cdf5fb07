using SupportBot.Host.Evaluation;
using SupportBot.Knowledge.Articles;

namespace SupportBot.Tests.Answering;

public sealed class AnswerEvaluationTests
{
    private static readonly Article Refunds = new("refunds", "Refunds", "payments", "u", null, "refunds.md",
        "A refund reaches the cardholder in 5–10 business days. Partial refunds are allowed.");

    [Fact]
    public void Each_cited_sentence_is_paired_with_its_marker()
    {
        var pairs = AnswerEvaluation.CitedSentences("Refunds take 5–10 days. [1]\n\nDisputes cost $15 [2][1]. Trailing text.").ToList();

        Assert.Equal(["Refunds take 5–10 days.", "Disputes cost $15"], pairs.Select(p => p.Sentence));
        Assert.Equal([1], pairs[0].Numbers);
        Assert.Equal([2, 1], pairs[1].Numbers);
    }

    [Theory]
    [InlineData("A refund reaches the cardholder in 5–10 business days.", true)]
    [InlineData("Refunds are instant and free of charge for platinum merchants.", false)]
    public void A_sentence_is_supported_when_its_content_is_in_the_cited_article(string sentence, bool supported) =>
        Assert.Equal(supported, AnswerEvaluation.IsSupported(sentence, Refunds));
}
