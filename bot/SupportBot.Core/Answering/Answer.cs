using System.Globalization;

namespace SupportBot.Core.Answering;

/// <summary>A numbered source of an answer: <c>[n]</c> in the text points here.</summary>
/// <param name="ArticleId">The article's id in the knowledge index (what curation goes by); empty for citations stored before it was kept.</param>
/// <param name="Updated">When the article was last updated, if it says.</param>
/// <param name="Stale">Older than <c>Knowledge:StaleAfter</c>: every surface shows <see cref="StaleNote"/> beside it.</param>
/// <param name="Excerpt">
/// What the cited passage says, in short (its best sentence, masked as the index is), for surfaces that show a source's
/// abstract beside the marker (Teams' citation pop-up); null for citations stored before it was kept.
/// </param>
public sealed record Citation(int N, string Title, string Url, string Source, string ArticleId = "", DateOnly? Updated = null, bool Stale = false, string? Excerpt = null)
{
    /// <summary>The longest <see cref="Excerpt"/> kept; surfaces cut it further to their own limits.</summary>
    public const int MaxExcerpt = 300;

    /// <summary>"may be outdated: updated 2024-03-01" for a stale source, else null.</summary>
    public string? StaleNote => !Stale
        ? null
        : Updated is { } updated
            ? string.Create(CultureInfo.InvariantCulture, $"may be outdated: updated {updated:yyyy-MM-dd}")
            : "may be outdated";

    /// <summary>Citation <paramref name="n"/> of a passage: the article's title with the section, when it is one.</summary>
    public static Citation Of(int n, SearchHit hit)
    {
        ArgumentNullException.ThrowIfNull(hit);
        var title = string.IsNullOrEmpty(hit.Section) ? hit.Title : $"{hit.Title} — {hit.Section}";
        return new Citation(n, title, hit.Url, hit.Source, hit.ArticleId, hit.Updated, hit.Stale, ExcerptOf(hit));
    }

    private static string? ExcerptOf(SearchHit hit)
    {
        var text = (hit.KeySentences.FirstOrDefault(s => !string.IsNullOrWhiteSpace(s)) ?? hit.Text).Trim();
        if (text.Length == 0)
        {
            return null;
        }

        text = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return text.Length <= MaxExcerpt ? text : text[..(MaxExcerpt - 1)].TrimEnd() + "…";
    }
}

/// <summary>
/// A drafted answer. <see cref="Text"/> carries <c>[n]</c> markers that refer to <see cref="Citations"/>.
/// <see cref="Confident"/> is false when the knowledge base does not support an answer.
/// </summary>
public sealed record Answer(
    string Text,
    IReadOnlyList<Citation> Citations,
    bool Confident,
    string Provider,
    bool Fallback = false)
{
    /// <summary>The language the question was asked in (a code of <see cref="Languages.KnownLanguages"/>), when it was told.</summary>
    public string? Language { get; init; }
}
