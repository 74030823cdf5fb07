using System.Text;
using System.Text.RegularExpressions;
using Markdig;
using Markdig.Extensions.Tables;
using Markdig.Extensions.Yaml;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace SupportBot.Knowledge.Articles;

/// <summary>
/// Markdown as Markdig reads it (CommonMark, YAML front matter, pipe tables), and its blocks as the plain
/// text the index stores and answers quote: one line per paragraph, list item, table row or code block,
/// each ended as a sentence, with links reduced to their text and markup removed.
/// </summary>
public static partial class MarkdownText
{
    public static MarkdownPipeline Pipeline { get; } = new MarkdownPipelineBuilder()
        .UseYamlFrontMatter()
        .UsePipeTables()
        .Build();

    public static MarkdownDocument Parse(string markdown) => Markdown.Parse(markdown, Pipeline);

    /// <summary>Markdown to readable plain text: inline markup removed, one line per paragraph, list item or table row.</summary>
    public static string ToPlainText(string markdown)
    {
        var lines = new List<string>();
        foreach (var block in Parse(markdown))
        {
            AddLines(block, lines);
        }

        return string.Join('\n', lines);
    }

    /// <summary>The plain-text lines of one block (and the blocks it contains), in reading order.</summary>
    public static void AddLines(Block block, List<string> lines)
    {
        ArgumentNullException.ThrowIfNull(block);
        ArgumentNullException.ThrowIfNull(lines);
        switch (block)
        {
            case YamlFrontMatterBlock or ThematicBreakBlock or LinkReferenceDefinitionGroup or LinkReferenceDefinition:
                break;
            case Table table:
                foreach (var row in table.OfType<TableRow>())
                {
                    var cells = row.OfType<TableCell>()
                        .Select(cell => string.Join(' ', cell.OfType<LeafBlock>().Select(LeafText)).Trim())
                        .Where(text => text.Length > 0);
                    AddSentence(lines, string.Join("; ", cells));
                }

                break;
            case CodeBlock code:
                // Kept searchable (error codes, field names), as one line.
                AddSentence(lines, string.Join(' ', LinesOf(code).Select(l => l.Trim()).Where(l => l.Length > 0)));
                break;
            case HtmlBlock html:
                AddSentence(lines, Tag().Replace(string.Join(' ', LinesOf(html)), " "));
                break;
            case LeafBlock leaf:
                AddSentence(lines, LeafText(leaf));
                break;
            case ContainerBlock container:
                foreach (var child in container)
                {
                    AddLines(child, lines);
                }

                break;
        }
    }

    /// <summary>The text of a heading or paragraph, markup removed.</summary>
    public static string LeafText(LeafBlock leaf)
    {
        ArgumentNullException.ThrowIfNull(leaf);
        if (leaf.Inline is null)
        {
            return string.Join(' ', LinesOf(leaf)).Trim();
        }

        var text = new StringBuilder();
        AppendInline(leaf.Inline, text);
        return Collapse(text.ToString());
    }

    /// <summary>
    /// Escapes text so Markdig reads it back as the same literal text (HTML turned into Markdown). <c>_</c>, <c>-</c>,
    /// <c>.</c> and <c>@</c> stay as they are: inside a word they are never markup, and masking must still see
    /// keys, emails and card numbers whole.
    /// </summary>
    public static string Escape(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var escaped = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (c is '\\' or '`' or '*' or '[' or ']' or '<' or '>' or '#' or '|' or '&' or '~' or '!')
            {
                escaped.Append('\\');
            }

            escaped.Append(c);
        }

        return escaped.ToString();
    }

    private static void AppendInline(Inline inline, StringBuilder text)
    {
        switch (inline)
        {
            case LiteralInline literal:
                text.Append(literal.Content.AsSpan());
                break;
            case CodeInline code:
                text.Append(code.Content);
                break;
            case AutolinkInline link:
                text.Append(link.Url);
                break;
            case LineBreakInline:
                text.Append(' ');
                break;
            case HtmlEntityInline entity:
                text.Append(entity.Transcoded.AsSpan());
                break;
            case HtmlInline:
                break; // A tag, not text.
            case ContainerInline container:
                foreach (var child in container)
                {
                    AppendInline(child, text);
                }

                break;
        }
    }

    private static IEnumerable<string> LinesOf(LeafBlock block)
    {
        var lines = block.Lines;
        for (var i = 0; i < lines.Count; i++)
        {
            yield return lines.Lines[i].Slice.ToString();
        }
    }

    /// <summary>
    /// Adds <paramref name="text"/> as a line ended like a sentence: list items, headings and table rows often lack
    /// final punctuation, and sentences must stay apart for key-sentence selection.
    /// </summary>
    private static void AddSentence(List<string> lines, string text)
    {
        var sentence = Collapse(text);
        if (sentence.Length == 0)
        {
            return;
        }

        lines.Add(sentence[^1] switch
        {
            '.' or '!' or '?' or ':' or '。' or '！' or '？' or '：' => sentence,
            var last when IsCjk(last) => sentence + "。",
            _ => sentence + ".",
        });
    }

    private static bool IsCjk(char c) => c is >= '\u3040' and <= '\u30FF' or >= '\u4E00' and <= '\u9FFF' or >= '\u3400' and <= '\u4DBF';

    private static string Collapse(string text) => Whitespace().Replace(text, " ").Trim();

    [GeneratedRegex(@"\s+", RegexOptions.CultureInvariant)]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"<[^>]*>", RegexOptions.CultureInvariant)]
    private static partial Regex Tag();
}
