namespace SupportBot.Core.Answering;

/// <summary>Turns the passages found for a question into an answer with numbered citations.</summary>
public interface IAnswerDrafter
{
    Task<Answer> DraftAsync(AnswerRequest request, IReadOnlyList<SearchHit> hits, CancellationToken cancellationToken);

    /// <summary>True when the drafter reports the answer as it grows (<see cref="AnswerRequest.OnPartial"/>).</summary>
    bool Streams => false;
}

/// <summary>A question with the thread it was asked in (oldest turn first).</summary>
/// <param name="Question">What is asked now.</param>
/// <param name="History">Earlier turns of the thread, oldest first.</param>
/// <param name="OnPartial">Receives the answer so far while a streaming drafter writes it; drafters that
/// produce the answer at once never call it.</param>
public sealed record AnswerRequest(
    string Question,
    IReadOnlyList<Conversations.ConversationTurn> History,
    Func<string, CancellationToken, Task>? OnPartial = null)
{
    /// <summary>Product areas the answer may come from (the channel's knowledge scope); empty: all.</summary>
    public IReadOnlyList<string> Areas { get; init; } = [];

    /// <summary>Knowledge sources the answer may come from (the channel's scope); empty: all.</summary>
    public IReadOnlyList<string> Sources { get; init; } = [];

    /// <summary>
    /// Told when the search is done and drafting begins (a surface's "drafting" sign); must return at once, since the
    /// answer does not wait for it.
    /// </summary>
    public Action? OnSearched { get; init; }

    /// <summary>The asker's language (a code of <see cref="Languages.KnownLanguages"/>), once <see cref="AnswerService"/> has told it.</summary>
    public string? Language { get; init; }
}
