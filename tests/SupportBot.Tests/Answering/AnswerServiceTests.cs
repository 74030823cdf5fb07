using Microsoft.Extensions.Options;
using SupportBot.Core.Answering;
using SupportBot.Core.Conversations;

namespace SupportBot.Tests.Answering;

public sealed class AnswerServiceTests
{
    private sealed class RecordingSearch : IKnowledgeSearch
    {
        public SearchRequest? Last { get; private set; }

        public Task<IReadOnlyList<SearchHit>> SearchAsync(SearchRequest request, CancellationToken cancellationToken)
        {
            Last = request;
            return Task.FromResult<IReadOnlyList<SearchHit>>([]);
        }
    }

    private static ConversationTurn Turn(string speaker, string text) => new(speaker, text, DateTimeOffset.UnixEpoch);

    [Fact]
    public async Task Follow_up_search_carries_the_recent_user_turns_and_the_replies_between_them()
    {
        var search = new RecordingSearch();
        var options = Options.Create(new AnsweringOptions { ContextTurns = 2, Passages = 4 });
        var service = new AnswerService(search, new ExtractiveDrafter(options), options);
        IReadOnlyList<ConversationTurn> history =
        [
            Turn(Speaker.User, "oldest question"),
            Turn(Speaker.Bot, "oldest reply"),
            Turn(Speaker.User, "What payout schedules exist?"),
            Turn(Speaker.Bot, "Daily, weekly and monthly."),
            Turn(Speaker.User, "Which is the default?"),
            Turn(Speaker.Bot, "Daily."),
        ];

        var result = await service.AnswerWithEvidenceAsync(new AnswerRequest("And for the second one?", history), passages: 9, default);

        Assert.False(result.Answer.Confident);
        Assert.Equal("And for the second one?", search.Last!.Question);
        Assert.Equal(["What payout schedules exist?", "Which is the default?"], search.Last.Context);
        Assert.Equal(["Daily, weekly and monthly.", "Daily."], search.Last.Replies);
        Assert.Equal(9, search.Last.Top);
    }

    [Fact]
    public async Task The_question_language_is_told_once_and_reaches_the_search_and_the_answer()
    {
        var search = new RecordingSearch();
        var options = Options.Create(new AnsweringOptions());
        var service = new AnswerService(search, new ExtractiveDrafter(options), options, new SupportBot.Core.Languages.LanguageDetector(["en", "fr"], "en"));

        var french = await service.AnswerAsync(new AnswerRequest("Comment répondre à un litige pour un paiement ?", []), default);
        Assert.Equal("fr", search.Last!.Language);
        Assert.Equal("fr", french.Language);

        // Too short to tell: the thread's language.
        var followUp = await service.AnswerAsync(new AnswerRequest("Et ensuite ?", [Turn(Speaker.User, "Comment répondre à un litige pour un paiement ?")]), default);
        Assert.Equal("fr", followUp.Language);

        // German is not enabled here: the default.
        var german = await service.AnswerAsync(new AnswerRequest("Wie lange dauert eine Rückerstattung?", []), default);
        Assert.Equal("en", search.Last.Language);
        Assert.Equal("en", german.Language);
    }
}
