using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace SupportBot.Knowledge.Articles;

/// <summary>
/// Splits an article at its <c>##</c> and <c>###</c> headings, so a citation points at the section that
/// says it. The text before the first heading is the article's summary section. A section longer than
/// <see cref="MaxChars"/> is cut at sentence ends into parts that repeat the previous part's last
/// sentence (up to <see cref="OverlapChars"/>), so a fact that spans the cut is still found whole.
/// Every part keeps the article's title, section path, product and url.
/// </summary>
public static partial class ArticleChunker
{
    /// <summary>Upper bound of a passage's text; about 500 tokens, the size BM25 and readers handle well.</summary>
    public const int MaxChars = 3_000;

    /// <summary>At most this much of a part's end is repeated at the start of the next part.</summary>
    public const int OverlapChars = 300;

    public static IReadOnlyList<Chunk> Split(Article article)
    {
        ArgumentNullException.ThrowIfNull(article);
        var chunks = new List<Chunk>();
        var updated = ArticleDates.Parse(article.Updated);
        string? h2 = null;
        string? section = null;
        var body = new StringBuilder();

        foreach (var line in article.Body.Split('\n'))
        {
            var heading = SectionHeading().Match(line);
            if (heading.Success)
            {
                Emit();
                var text = heading.Groups["text"].Value.Trim();
                if (heading.Groups["level"].Value.Length == 2)
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

            if (line.StartsWith("# ", StringComparison.Ordinal) && chunks.Count == 0 && body.Length == 0)
            {
                continue; // The title repeated as a top heading.
            }

            body.Append(line).Append('\n');
        }

        Emit();
        return chunks;

        void Emit()
        {
            var text = MarkdownArticleReader.ToPlainText(body.ToString());
            body.Clear();
            if (text.Length == 0)
            {
                return;
            }

            foreach (var part in Bound(text))
            {
                var id = string.Create(CultureInfo.InvariantCulture, $"{article.Id}#{chunks.Count}");
                chunks.Add(new Chunk(id, article.Id, article.Title, section, article.Product, article.Url, article.Source, part, updated));
            }
        }
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

    // After . ! ? or a line end: where a part may be cut.
    [GeneratedRegex(@"(?<=[.!?])\s+|\n+", RegexOptions.CultureInvariant)]
    private static partial Regex SentenceEnd();

    [GeneratedRegex(@"^(?<level>#{2,3})\s+(?<text>.+)$", RegexOptions.CultureInvariant)]
    private static partial Regex SectionHeading();
}
