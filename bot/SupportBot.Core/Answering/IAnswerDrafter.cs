namespace SupportBot.Core.Answering;

/// <summary>Turns the passages found for a question into an answer with numbered citations.</summary>
public interface IAnswerDrafter
{
    Task<Answer> DraftAsync(AnswerRequest request, IReadOnlyList<SearchHit> hits, CancellationToken cancellationToken);
}

/// <summary>A question with the thread it was asked in (oldest turn first).</summary>
public sealed record AnswerRequest(string Question, IReadOnlyList<Conversations.ConversationTurn> History);
