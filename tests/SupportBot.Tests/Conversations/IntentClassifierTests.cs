using SupportBot.Core.Conversations;

namespace SupportBot.Tests.Conversations;

public sealed class IntentClassifierTests
{
    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("help")]
    [InlineData("Help!")]
    [InlineData("what can you do?")]
    public void Empty_mentions_and_help_ask_for_help(string text) => Assert.Equal(IntentKind.Help, IntentClassifier.Classify(text));

    [Theory]
    [InlineData("How do I respond to a dispute?")]
    [InlineData("help with a failed payout")]
    public void Everything_else_is_a_question(string text) => Assert.Equal(IntentKind.Question, IntentClassifier.Classify(text));
}
