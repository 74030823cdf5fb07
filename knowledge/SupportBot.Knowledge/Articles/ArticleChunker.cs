using System.Globalization;
using System.Text.RegularExpressions;
using Markdig.Syntax;
using SupportBot.Core.Languages;

namespace SupportBot.Knowledge.Articles;

/// <summary>
/// Splits an article at its <c>##</c> and <c>###</c> headings (read by Markdig, so a <c>#</c> inside a code
/// block or a quote is not a heading), so a citation points at the section that says it. The text before the
/// first heading is the article's summary section. A section longer than <see cref="MaxChars"/> is cut at
/// sentence ends into parts that repeat the previous part's last sentence (up to <see cref="OverlapChars"/>),
/// so a fact that spans the cut is still found whole. Every part keeps the article's title, section path,
/// product, url and language. Passage ids are the article id and the part's number, in reading order.
/// </summary>
public static partial class ArticleChunker
{
    /// <summary>Upper bound of a passage's text; about 500 tokens, the size BM25 and readers handle well.</summary>
    public const int MaxChars = 3_000;

    /// <summary>At most this much of a part's end is repeated at the start of the next part.</summary>
    public const int OverlapChars = 300;

    /// <param name="article">The article; a plain-text one (<see cref="ArticleFormat.PlainText"/>) is one section.</param>
    /// <param name="languages">Tells the article's language when it does not say; <see cref="LanguageDetector.Standard"/> when null.</param>
    public static IReadOnlyList<Chunk> Split(Article article, LanguageDetector? languages = null)
    {
        ArgumentNullException.ThrowIfNull(article);
        var language = LanguageOf(article, languages ?? LanguageDetector.Standard);
        var chunks = new List<Chunk>();
        var updated = ArticleDates.Parse(article.Updated);
        string? h2 = null;
        string? section = null;
        var lines = new List<string>();
        if (article.Format == ArticleFormat.PlainText)
        {
            lines.Add(PlainText.Clean(article.Body));
            Emit();
            return chunks;
        }

        foreach (var block in MarkdownText.Parse(article.Body))
        {
            if (block is HeadingBlock { Level: 2 or 3 } heading)
            {
                Emit();
                var text = MarkdownText.LeafText(heading);
                if (heading.Level == 2)
                {
                    h2 = text;
                    section = text;
                }
                else
                {
                    section = h2 is null ? text : $"{h2} › {text}";
                }

                continue;
            }

            if (block is HeadingBlock { Level: 1 } && chunks.Count == 0 && lines.Count == 0)
            {
                continue; // The title repeated as a top heading.
            }

            MarkdownText.AddLines(block, lines);
        }

        Emit();
        return chunks;

        void Emit()
        {
            var text = string.Join('\n', lines);
            lines.Clear();
            if (text.Length == 0)
            {
                return;
            }

            foreach (var part in Bound(text))
            {
                var id = string.Create(CultureInfo.InvariantCulture, $"{article.Id}#{chunks.Count}");
                chunks.Add(new Chunk(id, article.Id, article.Title, section, article.Product, article.Url, article.Source, part, updated) { Language = language });
            }
        }
    }

    /// <summary>
    /// The language the article says, when it is one the index analyses on its own (<paramref name="languages"/>'
    /// enabled set), else the default when it names another one, else the language its title and body are written in.
    /// </summary>
    public static string LanguageOf(Article article, LanguageDetector languages)
    {
        ArgumentNullException.ThrowIfNull(article);
        ArgumentNullException.ThrowIfNull(languages);
        if (!string.IsNullOrWhiteSpace(article.Language))
        {
            return KnownLanguages.Normalize(article.Language) is { } declared && languages.IsEnabled(declared) ? declared : languages.Default;
        }

        return languages.Detect($"{article.Title}\n{article.Body}");
    }

    /// <summary>The text as parts of at most <see cref="MaxChars"/>, cut at sentence ends, with overlap.</summary>
    internal static IEnumerable<string> Bound(string text)
    {
        if (text.Length <= MaxChars)
        {
            yield return text;
            yield break;
        }

        var sentences = SentenceEnd().Split(text).Where(s => s.Length > 0).SelectMany(HardSplit).ToList();
        var part = new List<string>();
        var length = 0;
        foreach (var sentence in sentences)
        {
            if (length > 0 && length + sentence.Length + 1 > MaxChars)
            {
                yield return string.Join(' ', part).Trim();

                // Carry the part's last sentences (up to the overlap) into the next one.
                var carried = new List<string>();
                var carriedLength = 0;
                for (var i = part.Count - 1; i >= 0 && carriedLength + part[i].Length <= OverlapChars; i--)
                {
                    carried.Insert(0, part[i]);
                    carriedLength += part[i].Length + 1;
                }

                part = carried;
                length = carriedLength;
            }

            part.Add(sentence);
            length += sentence.Length + 1;
        }

        if (part.Count > 0)
        {
            yield return string.Join(' ', part).Trim();
        }
    }

    /// <summary>A "sentence" longer than a part (a table, a list without stops) is cut at spaces.</summary>
    private static IEnumerable<string> HardSplit(string sentence)
    {
        var rest = sentence.Trim();
        while (rest.Length > MaxChars - OverlapChars)
        {
            var cut = rest.LastIndexOf(' ', MaxChars - OverlapChars);
            cut = cut <= 0 ? MaxChars - OverlapChars : cut;
            yield return rest[..cut].Trim();
            rest = rest[cut..].Trim();
        }

        if (rest.Length > 0)
        {
            yield return rest;
        }
    }

    // After . ! ? (or the Japanese 。！？, which no space follows) or a line end: where a part may be cut.
    [GeneratedRegex(@"(?<=[.!?])\s+|(?<=[。！？])|\n+", RegexOptions.CultureInvariant)]
    private static partial Regex SentenceEnd();
}
