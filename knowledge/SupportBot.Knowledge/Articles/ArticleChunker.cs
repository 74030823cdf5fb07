using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace SupportBot.Knowledge.Articles;

/// <summary>
/// Splits an article at its <c>##</c> and <c>###</c> headings, so a citation points at the section that
/// says it. The text before the first heading is the article's summary section.
/// </summary>
public static partial class ArticleChunker
{
    public static IReadOnlyList<Chunk> Split(Article article)
    {
        ArgumentNullException.ThrowIfNull(article);
        var chunks = new List<Chunk>();
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

            var id = string.Create(CultureInfo.InvariantCulture, $"{article.Id}#{chunks.Count}");
            chunks.Add(new Chunk(id, article.Id, article.Title, section, article.Product, article.Url, article.Source, text));
        }
    }

    [GeneratedRegex(@"^(?<level>#{2,3})\s+(?<text>.+)$", RegexOptions.CultureInvariant)]
    private static partial Regex SectionHeading();
}
