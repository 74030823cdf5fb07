namespace SupportBot.Core.Answering;

/// <summary>A search of the product-knowledge index.</summary>
/// <param name="Question">What is asked now.</param>
/// <param name="Context">Earlier user turns of the thread, newest last; they help resolve follow-ups.</param>
/// <param name="Top">How many passages to return.</param>
/// <param name="Product">Restrict to one product area, when set.</param>
/// <param name="Replies">The bot's earlier replies in the thread, newest last; weaker context than the user's own turns.</param>
public sealed record SearchRequest(string Question, IReadOnlyList<string> Context, int Top = 5, string? Product = null, IReadOnlyList<string>? Replies = null)
{
    /// <summary>Restrict to any of these product areas (a channel's knowledge scope), when not empty; combined with <see cref="Product"/>.</summary>
    public IReadOnlyList<string> Products { get; init; } = [];

    /// <summary>
    /// The question's language (a code of <see cref="Languages.KnownLanguages"/>): its terms are analysed and
    /// matched as that language's passages are; null lets the search tell it from the question.
    /// </summary>
    public string? Language { get; init; }

    /// <summary>
    /// Restrict to passages from these sources (a passage's <see cref="SearchHit.Source"/> names where it came from:
    /// <c>past-threads</c>, a connector's name, or a file's path), when not empty.
    /// </summary>
    public IReadOnlyList<string> Sources { get; init; } = [];

    /// <summary>True when the search is restricted to <see cref="Areas"/> (which may then be empty: nothing matches).</summary>
    public bool Restricted => Product is { Length: > 0 } || Products.Count > 0;

    /// <summary>The areas a restricted search may return: <see cref="Product"/>, within <see cref="Products"/> when both are given.</summary>
    public IReadOnlyList<string> Areas =>
        Product is { Length: > 0 } one ? (Products.Count == 0 || Products.Contains(one) ? [one] : []) : Products;
}

/// <summary>One passage (a section of an article) that matched.</summary>
/// <param name="ChunkId">Unique id of the passage.</param>
/// <param name="ArticleId">Id of the article the passage belongs to.</param>
/// <param name="Title">Article title.</param>
/// <param name="Section">Section heading path, when the passage is a section.</param>
/// <param name="Url">Where an agent reads the article.</param>
/// <param name="Product">Product area.</param>
/// <param name="Source">Where the article came from (file or corpus id).</param>
/// <param name="Text">The passage text.</param>
/// <param name="Score">Retrieval score (only comparable within one search).</param>
/// <param name="Coverage">Share of the question's information (IDF-weighted terms) the passage contains, 0..1.</param>
/// <param name="KeySentences">The passage's sentences that best match the question, in passage order.</param>
/// <param name="Updated">When the article was last updated, if it says.</param>
/// <param name="Stale">The article is older than <c>Knowledge:StaleAfter</c>: answers flag it as possibly outdated.</param>
public sealed record SearchHit(
    string ChunkId,
    string ArticleId,
    string Title,
    string? Section,
    string Url,
    string Product,
    string Source,
    string Text,
    float Score,
    double Coverage,
    IReadOnlyList<string> KeySentences,
    DateOnly? Updated = null,
    bool Stale = false);

/// <summary>The product-knowledge index, as the answering pipeline sees it.</summary>
public interface IKnowledgeSearch
{
    Task<IReadOnlyList<SearchHit>> SearchAsync(SearchRequest request, CancellationToken cancellationToken);
}
