using SupportBot.IntegrationTests.Infrastructure;

namespace SupportBot.IntegrationTests.Llm;

public sealed class CustomerReplyDraftTests
{
    [Fact]
    public async Task Draft_a_reply_offline_gives_a_templated_grounded_draft()
    {
        await using var host = await BotHost.StartAsync();
        var question = await host.SendAsync("How do refunds work?");
        await host.WaitForReplyAsync(question);

        var draft = await host.WaitForReplyAsync(await host.SendAsync("draft a reply", question.ThreadId));

        Assert.Equal("draft", draft.Kind);
        Assert.True(draft.Confident);
        Assert.StartsWith("Draft reply for the merchant — review before sending:", draft.Text, StringComparison.Ordinal);
        Assert.Contains("Hi,", draft.Text, StringComparison.Ordinal);
        Assert.Contains("5–10 business days", draft.Text, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"\[\d+\]", draft.Text);
        Assert.Contains("tester", draft.Text, StringComparison.Ordinal);
        Assert.NotEmpty(draft.Citations);
    }

    [Fact]
    public async Task Draft_a_reply_with_a_model_is_written_by_the_model_from_the_thread()
    {
        await using var model = await OpenAiStandIn.StartAsync();
        model.Default = OpenAiStandIn.AnswerWith(prompt => prompt.Contains("<answer>", StringComparison.Ordinal)
            ? "Hello, thanks for your patience! Refunds take 5–10 business days to reach the card. Kind regards, tester"
            : "Refunds reach the cardholder in 5–10 business days [1].");
        await using var host = await BotHost.StartAsync(
            "Llm:Provider=openai", $"Llm:Endpoint={model.OpenAiEndpoint}", "Llm:ApiKey=k", "Llm:Model=m");

        var question = await host.SendAsync("How long do refunds take to reach the cardholder?");
        var answer = await host.WaitForReplyAsync(question);
        var draft = await host.WaitForReplyAsync(await host.SendAsync("Please draft a reply to the merchant", question.ThreadId));

        Assert.Equal("Refunds reach the cardholder in 5–10 business days [1].", answer.Text);
        Assert.Equal("draft", draft.Kind);
        Assert.Contains("Hello, thanks for your patience!", draft.Text, StringComparison.Ordinal);
        var draftRequest = model.Requests.Last();
        Assert.Contains("reply that a support agent", draftRequest.Prompt, StringComparison.Ordinal);
        Assert.Contains("[user] How long do refunds take", draftRequest.Prompt, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_draft_for_a_question_in_japanese_is_asked_for_in_japanese()
    {
        await using var model = await OpenAiStandIn.StartAsync();
        model.Default = OpenAiStandIn.AnswerWith(prompt => prompt.Contains("<answer>", StringComparison.Ordinal)
            ? "お問い合わせありがとうございます。もう一度お支払いをお試しください。tester"
            : "認証画面は約10分でタイムアウトします [1]。");
        await using var host = await BotHost.StartAsync(
            "Llm:Provider=openai", $"Llm:Endpoint={model.OpenAiEndpoint}", "Llm:ApiKey=k", "Llm:Model=m");

        var question = await host.SendAsync("3Dセキュアの認証が失敗した場合はどうすればいいですか？");
        await host.WaitForReplyAsync(question);
        var draft = await host.WaitForReplyAsync(await host.SendAsync("draft a reply", question.ThreadId));

        Assert.Equal("draft", draft.Kind);
        Assert.Contains("もう一度お支払いをお試しください", draft.Text, StringComparison.Ordinal);
        var answerRequest = model.Requests.First();
        var draftRequest = model.Requests.Last();
        Assert.Contains("Write the answer in Japanese", answerRequest.Prompt, StringComparison.Ordinal);
        Assert.Contains("3Dセキュア認証が失敗する場合の対処", answerRequest.Prompt, StringComparison.Ordinal);
        Assert.Contains("Write the reply in Japanese, the language of the question", draftRequest.Prompt, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Draft_a_reply_without_a_question_asks_for_one()
    {
        await using var host = await BotHost.StartAsync();

        var reply = await host.WaitForReplyAsync(await host.SendAsync("draft a reply"));

        Assert.Equal("notice", reply.Kind);
        Assert.Contains("Ask the merchant's question", reply.Text, StringComparison.Ordinal);
    }
}
