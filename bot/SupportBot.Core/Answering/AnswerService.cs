using Microsoft.Extensions.Options;
using SupportBot.Core.Conversations;
using SupportBot.Core.Languages;
using SupportBot.Core.Telemetry;

namespace SupportBot.Core.Answering;

/// <summary>An answer together with the passages it was drafted from, best first.</summary>
public sealed record AnswerWithEvidence(Answer Answer, IReadOnlyList<SearchHit> Hits);

/// <summary>
/// Search, then draft: the one path every surface (chat, Slack, Teams, the CLI, the evaluation) uses
/// to answer a question, so follow-ups resolve the same way everywhere. The question's language is told
/// once, here: the search analyses the question as that language, a model drafts in it, and the answer
/// carries it.
/// </summary>
public sealed class AnswerService(IKnowledgeSearch search, IAnswerDrafter drafter, IOptions<AnsweringOptions> options, LanguageDetector? languages = null)
{
    private readonly LanguageDetector _languages = languages ?? LanguageDetector.Standard;

    /// <summary>True when answers grow while drafted, so surfaces can show them in place.</summary>
    public bool Streams => drafter.Streams;

    public async Task<Answer> AnswerAsync(AnswerRequest request, CancellationToken cancellationToken) =>
        (await AnswerWithEvidenceAsync(request, passages: null, cancellationToken)).Answer;

    /// <summary>Answers and also returns the passages found; <paramref name="passages"/> overrides <c>Answering:Passages</c>.</summary>
    public async Task<AnswerWithEvidence> AnswerWithEvidenceAsync(AnswerRequest request, int? passages, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var searchRequest = ToSearch(request, passages ?? options.Value.Passages);
        var language = request.Language ?? _languages.DetectQuestion(request.Question, searchRequest.Context);
        request = request with { Language = language };
        IReadOnlyList<SearchHit> hits;
        using (var retrieve = SupportBotTelemetry.Source.StartActivity("supportbot.retrieve"))
        {
            hits = await search.SearchAsync(searchRequest with { Language = language }, cancellationToken);
            retrieve?.SetTag("supportbot.passages", hits.Count);
            retrieve?.SetTag("supportbot.language", language);
        }

        request.OnSearched?.Invoke();
        using var generate = SupportBotTelemetry.Source.StartActivity("supportbot.generate");
        var answer = await drafter.DraftAsync(request, hits, cancellationToken) with { Language = language };
        generate?.SetTag("supportbot.provider", answer.Provider);
        generate?.SetTag("supportbot.confident", answer.Confident);
        return new AnswerWithEvidence(answer, hits);
    }

    /// <summary>
    /// The thread as retrieval context: the last <c>Answering:ContextTurns</c> user turns, and the bot's
    /// replies in between (they name the things a follow-up refers to: "the second one").
    /// </summary>
    internal SearchRequest ToSearch(AnswerRequest request, int top)
    {
        var turns = options.Value.ContextTurns;
        var users = new List<string>(turns);
        var replies = new List<string>(turns);
        for (var i = request.History.Count - 1; i >= 0 && users.Count < turns; i--)
        {
            var turn = request.History[i];
            if (turn.Speaker == Speaker.User)
            {
                users.Add(turn.Text);
            }
            else if (replies.Count < turns)
            {
                replies.Add(turn.Text);
            }
        }

        users.Reverse();
        replies.Reverse();
        return new SearchRequest(request.Question, users, top, Replies: replies) { Products = request.Areas, Sources = request.Sources };
    }
}
