using System.Text;
using System.Text.RegularExpressions;

namespace SupportBot.Knowledge.Articles;

/// <summary>
/// Text that is not a Markdown document (a BEIR corpus's <c>text</c>: web pages, forum posts, product docs
/// flattened to text) made readable line by line: paragraphs joined, list markers and the commonest inline
/// marks (links, <c>**</c>, <c>`</c>) removed. Such text often holds stray Markdown-like lines (a row of
/// dashes, an indented line) that a Markdown parser would take for headings or code, splitting or hiding
/// its content; parsing corpus text as Markdown lowered retrieval on the mtrag-un evaluation (docs/quality.md).
/// </summary>
public static partial class PlainText
{
    /// <summary>The text with one line per paragraph or list item, each ended as a sentence, and Markdown-like marks removed.</summary>
    public static string Clean(string text)
    {
        var result = new StringBuilder(text.Length);
        var paragraph = new StringBuilder();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.StartsWith("```", StringComparison.Ordinal) || line.Length == 0 || line.StartsWith('|') && line.Contains("---", StringComparison.Ordinal))
            {
                Flush();
                continue;
            }

            var item = ListMarker().Match(line);
            if (item.Success || line.StartsWith('#') || line.StartsWith('>'))
            {
                Flush();
                line = item.Success ? line[item.Length..] : line.TrimStart('#', '>', ' ');
            }

            if (paragraph.Length > 0)
            {
                paragraph.Append(' ');
            }

            paragraph.Append(Inline(line));
        }

        Flush();
        return result.ToString().TrimEnd();

        void Flush()
        {
            if (paragraph.Length == 0)
            {
                return;
            }

            var sentence = paragraph.ToString().Trim();
            // List items and headings often lack final punctuation; end them so sentences stay apart.
            result.Append(sentence).Append(sentence[^1] is '.' or '!' or '?' or ':' ? "\n" : ".\n");
            paragraph.Clear();
        }
    }

    private static string Inline(string line)
    {
        line = Link().Replace(line, "${text}");
        line = line.Replace("**", string.Empty, StringComparison.Ordinal)
            .Replace("__", string.Empty, StringComparison.Ordinal)
            .Replace("`", string.Empty, StringComparison.Ordinal);
        return line.Trim('|', ' ').Replace(" | ", "; ", StringComparison.Ordinal);
    }

    [GeneratedRegex(@"^(?:[-*+]|[0-9]{1,3}[.)])\s+", RegexOptions.CultureInvariant)]
    private static partial Regex ListMarker();

    [GeneratedRegex(@"!?\[(?<text>[^\]]*)\]\([^)]*\)", RegexOptions.CultureInvariant)]
    private static partial Regex Link();
}
