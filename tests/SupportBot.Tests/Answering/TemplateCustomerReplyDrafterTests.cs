using SupportBot.Core.Answering;
using SupportBot.Core.Conversations;

namespace SupportBot.Tests.Answering;

public sealed class TemplateCustomerReplyDrafterTests
{
    private static readonly Citation Source = new(1, "Refunds", "https://kb.example/refunds", "refunds.md");

    [Fact]
    public void A_grounded_answer_becomes_a_signed_reply_without_markers()
    {
        var grounding = new Answer("Refunds take 5–10 business days [1].\n\nPartial refunds are allowed [1].", [Source], Confident: true, "extractive");

        var draft = TemplateCustomerReplyDrafter.Draft(new CustomerReplyRequest([], "How long?", grounding, "Ann"));

        Assert.True(draft.Grounded);
        Assert.Equal(
            "Hi,\n\nThank you for reaching out. Refunds take 5–10 business days. Partial refunds are allowed.\n\n" +
            "If anything is unclear or you need more help, just reply to this message.\n\nBest regards,\nAnn",
            draft.Text);
        Assert.Equal([Source], draft.Citations);
    }

    [Fact]
    public void Without_a_grounded_answer_it_refuses_to_draft()
    {
        var grounding = new Answer("I don't know.", [], Confident: false, "extractive");

        var draft = TemplateCustomerReplyDrafter.Draft(new CustomerReplyRequest([], "Weather?", grounding, "Ann"));

        Assert.False(draft.Grounded);
        Assert.Equal(TemplateCustomerReplyDrafter.NotGroundedText, draft.Text);
    }

    [Theory]
    [InlineData("draft a reply", IntentKind.DraftReply)]
    [InlineData("Please draft a customer reply", IntentKind.DraftReply)]
    [InlineData("can you draft a response to the merchant?", IntentKind.DraftReply)]
    [InlineData("How do I draft an invoice?", IntentKind.Question)]
    public void Draft_requests_are_recognised(string text, IntentKind expected) => Assert.Equal(expected, IntentClassifier.Classify(text));
}
