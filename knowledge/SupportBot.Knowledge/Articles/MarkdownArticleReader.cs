using System.Text;
using System.Text.RegularExpressions;

namespace SupportBot.Knowledge.Articles;

/// <summary>Reads a Markdown article: YAML-style front matter (flat <c>key: value</c> pairs) and the body.</summary>
public static partial class MarkdownArticleReader
{
    public static Article Read(string id, string source, string content)
    {
        ArgumentNullException.ThrowIfNull(content);
        var (meta, body) = SplitFrontMatter(content.Replace("\r\n", "\n", StringComparison.Ordinal));
        var title = meta.GetValueOrDefault("title") ?? FirstHeading(body) ?? Path.GetFileNameWithoutExtension(source);
        return new Article(
            id,
            title,
            meta.GetValueOrDefault("product") is { Length: > 0 } product ? product.ToLowerInvariant() : "general",
            meta.GetValueOrDefault("url") ?? string.Empty,
            meta.GetValueOrDefault("updated"),
            source,
            body);
    }

    internal static (Dictionary<string, string> Meta, string Body) SplitFrontMatter(string content)
    {
        var meta = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (!content.StartsWith("---\n", StringComparison.Ordinal))
        {
            return (meta, content);
        }

        var end = content.IndexOf("\n---", 3, StringComparison.Ordinal);
        if (end < 0)
        {
            return (meta, content);
        }

        foreach (var line in content[4..end].Split('\n'))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || char.IsWhiteSpace(line[0]))
            {
                continue;
            }

            var value = line[(colon + 1)..].Trim();
            if (value.Length >= 2 && (value[0] is '"' or '\'') && value[^1] == value[0])
            {
                value = value[1..^1];
            }

            meta[line[..colon].Trim()] = value;
        }

        var bodyStart = content.IndexOf('\n', end + 4);
        return (meta, bodyStart < 0 ? string.Empty : content[(bodyStart + 1)..]);
    }

    private static string? FirstHeading(string body)
    {
        var match = Heading().Match(body);
        return match.Success ? match.Groups["text"].Value.Trim() : null;
    }

    /// <summary>Markdown to readable plain text: inline markup removed, one line per paragraph or list item.</summary>
    public static string ToPlainText(string markdown)
    {
        var text = new StringBuilder(markdown.Length);
        var paragraph = new StringBuilder();
        foreach (var raw in markdown.Split('\n'))
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
        return text.ToString().TrimEnd();

        void Flush()
        {
            if (paragraph.Length == 0)
            {
                return;
            }

            var sentence = paragraph.ToString().Trim();
            // List items and headings often lack final punctuation; end them so sentences stay apart.
            text.Append(sentence).Append(sentence[^1] is '.' or '!' or '?' or ':' ? "\n" : ".\n");
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

    [GeneratedRegex(@"^#{1,6}\s+(?<text>.+)$", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex Heading();

    [GeneratedRegex(@"^(?:[-*+]|[0-9]{1,3}[.)])\s+", RegexOptions.CultureInvariant)]
    private static partial Regex ListMarker();

    [GeneratedRegex(@"!?\[(?<text>[^\]]*)\]\([^)]*\)", RegexOptions.CultureInvariant)]
    private static partial Regex Link();
}
