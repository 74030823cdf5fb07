using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using SupportBot.Knowledge.Articles;

namespace SupportBot.Knowledge.Connectors;

/// <summary>
/// An article body that is an HTML fragment (a Zendesk article, a rewritten Confluence page) as Markdown text, read by
/// the same <see cref="HtmlArticleReader"/> as HTML files. A fragment's <c>h1</c> is a section heading, not the page title
/// (the title comes from the API), so it becomes an <c>h2</c>.
/// </summary>
internal static class HtmlBody
{
    private static readonly HtmlParser Parser = new();

    public static string ToMarkdown(string html)
    {
        using var document = Parser.ParseDocument($"<!DOCTYPE html><html><head></head><body>{html}</body></html>");
        return ToMarkdown(document);
    }

    public static string ToMarkdown(IDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        foreach (var heading in document.Body?.QuerySelectorAll("h1").ToList() ?? [])
        {
            var replacement = document.CreateElement("h2");
            replacement.TextContent = heading.TextContent;
            heading.Replace(replacement);
        }

        return HtmlArticleReader.Read("fragment", "fragment.html", $"<html><body>{document.Body?.InnerHtml}</body></html>").Body;
    }
}
