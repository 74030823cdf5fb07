using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace SupportBot.Knowledge.Articles;

/// <summary>
/// Reads an HTML page with AngleSharp: the title from <c>&lt;title&gt;</c> (else the first <c>h1</c>),
/// product and url from <c>&lt;meta name="product"&gt;</c> and <c>&lt;link rel="canonical"&gt;</c>, and the
/// text of the main content with its <c>h2</c>/<c>h3</c> headings kept as Markdown headings, so the
/// same chunker splits it into sections (the text escaped, so Markdig reads it back literally). Scripts, styles
/// and page chrome (nav, header, footer) are dropped. The page's language is its <c>&lt;html lang&gt;</c> or
/// <c>&lt;meta name="language"&gt;</c>, when it says.
/// </summary>
public static class HtmlArticleReader
{
    private static readonly HtmlParser Parser = new();

    private static readonly HashSet<string> Dropped = new(StringComparer.OrdinalIgnoreCase)
    {
        "script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form", "svg", "iframe",
    };

    private static readonly HashSet<string> Blocks = new(StringComparer.OrdinalIgnoreCase)
    {
        "p", "div", "section", "article", "main", "li", "tr", "blockquote", "pre", "dd", "dt", "br", "table", "ul", "ol", "dl", "figcaption",
    };

    public static Article Read(string id, string source, string html)
    {
        using var document = Parser.ParseDocument(html);
        var h1 = document.QuerySelector("h1")?.TextContent;
        var title = Clean(document.Title) is { Length: > 0 } t ? t : Clean(h1) is { Length: > 0 } h ? h : Path.GetFileNameWithoutExtension(source);
        var product = document.QuerySelector("meta[name=product]")?.GetAttribute("content");
        var url = document.QuerySelector("link[rel=canonical]")?.GetAttribute("href") ?? string.Empty;
        var root = document.QuerySelector("main") ?? document.QuerySelector("article") ?? document.Body;

        var markdown = new StringBuilder();
        if (root is not null)
        {
            Write(root, markdown);
        }

        return new Article(
            id,
            title,
            string.IsNullOrWhiteSpace(product) ? "general" : product.Trim().ToLowerInvariant(),
            url.Trim(),
            document.QuerySelector("meta[name=updated]")?.GetAttribute("content"),
            source,
            markdown.ToString().Trim())
        {
            Language = Clean(document.DocumentElement?.GetAttribute("lang")) is { Length: > 0 } lang
                ? lang
                : Clean(document.QuerySelector("meta[name=language]")?.GetAttribute("content")) is { Length: > 0 } meta ? meta : null,
        };
    }

    private static void Write(INode node, StringBuilder markdown)
    {
        foreach (var child in node.ChildNodes)
        {
            switch (child)
            {
                case IElement element when Dropped.Contains(element.LocalName):
                    break;
                case IElement { LocalName: "h1" }:
                    break; // The title.
                case IElement { LocalName: "h2" or "h3" or "h4" } heading:
                    var level = heading.LocalName == "h2" ? "##" : "###";
                    markdown.Append("\n\n").Append(level).Append(' ').Append(MarkdownText.Escape(Clean(heading.TextContent))).Append("\n\n");
                    break;
                case IElement { LocalName: "li" } item:
                    markdown.Append("\n- ");
                    Write(item, markdown);
                    markdown.Append('\n');
                    break;
                case IElement element:
                    var block = Blocks.Contains(element.LocalName);
                    if (block)
                    {
                        markdown.Append("\n\n");
                    }

                    Write(element, markdown);
                    if (block)
                    {
                        markdown.Append("\n\n");
                    }

                    break;
                case IText text:
                    markdown.Append(MarkdownText.Escape(Collapse(text.Data)));
                    break;
            }
        }
    }

    private static string Collapse(string text)
    {
        var result = new StringBuilder(text.Length);
        var space = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                space = true;
                continue;
            }

            if (space)
            {
                result.Append(' ');
            }

            space = false;
            result.Append(c);
        }

        if (space)
        {
            result.Append(' ');
        }

        return result.ToString();
    }

    private static string Clean(string? text) => text is null ? string.Empty : Collapse(text).Trim();
}
