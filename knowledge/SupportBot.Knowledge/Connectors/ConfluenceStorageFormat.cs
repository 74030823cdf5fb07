using System.Net;
using System.Text.RegularExpressions;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace SupportBot.Knowledge.Connectors;

/// <summary>
/// Confluence's storage format (XHTML with <c>ac:</c> and <c>ri:</c> elements) as Markdown text. Macros that hold
/// content keep it (panels' <c>ac:rich-text-body</c>, code blocks' <c>ac:plain-text-body</c>); macros that only render
/// something elsewhere (table of contents, child lists, Jira issues) and their parameters are dropped; links keep
/// their text or the page they name; images, emoticons and placeholders go. Parsed as HTML (the format is not
/// well-formed XML: its entities are HTML's), after turning its CDATA sections into escaped text.
/// </summary>
public static partial class ConfluenceStorageFormat
{
    private static readonly HtmlParser Parser = new();

    private static readonly HashSet<string> DroppedMacros = new(StringComparer.OrdinalIgnoreCase)
    {
        "toc", "children", "jira", "recently-updated", "pagetree", "contentbylabel", "attachments", "livesearch", "gallery", "anchor",
    };

    public static string ToMarkdown(string storage)
    {
        ArgumentNullException.ThrowIfNull(storage);
        var html = Cdata().Replace(storage, m => WebUtility.HtmlEncode(m.Groups[1].Value));

        // An HTML parser ignores "/>" on elements it does not know, which would then swallow the text after them.
        html = SelfClosing().Replace(html, "<$1$2></$1>");
        using var document = Parser.ParseDocument($"<!DOCTYPE html><html><head></head><body>{html}</body></html>");
        var body = document.Body!;

        foreach (var element in body.QuerySelectorAll("*").ToList())
        {
            if (element.Parent is null && element != body)
            {
                continue; // Removed with an ancestor already.
            }

            switch (element.LocalName)
            {
                case "ac:parameter" or "ac:image" or "ac:emoticon" or "ac:placeholder" or "ri:attachment":
                    element.Remove();
                    break;
                case "ac:structured-macro" or "ac:macro":
                    Rewrite(document, element);
                    break;
                case "ac:link":
                    var text = (Find(element, "ac:plain-text-link-body") ?? Find(element, "ac:link-body"))?.TextContent;
                    var page = Find(element, "ri:page")?.GetAttribute("ri:content-title");
                    element.Replace(document.CreateTextNode(FirstText(text, page, element.TextContent)));
                    break;
                case "ac:task":
                    var item = document.CreateElement("li");
                    item.TextContent = Find(element, "ac:task-body")?.TextContent ?? string.Empty;
                    element.Replace(item);
                    break;
            }
        }

        return HtmlBody.ToMarkdown(document);
    }

    private static void Rewrite(IDocument document, IElement macro)
    {
        var name = macro.GetAttribute("ac:name") ?? string.Empty;
        if (DroppedMacros.Contains(name))
        {
            macro.Remove();
            return;
        }

        var title = macro.Children.FirstOrDefault(c => c.LocalName == "ac:parameter" && c.GetAttribute("ac:name") == "title")?.TextContent;
        var container = document.CreateElement("div");
        if (!string.IsNullOrWhiteSpace(title))
        {
            var heading = document.CreateElement("p");
            heading.TextContent = title.Trim();
            container.AppendChild(heading);
        }

        if (Find(macro, "ac:plain-text-body") is { } code)
        {
            var pre = document.CreateElement("pre");
            pre.TextContent = code.TextContent;
            container.AppendChild(pre);
        }
        else if (Find(macro, "ac:rich-text-body") is { } rich)
        {
            foreach (var child in rich.ChildNodes.ToList())
            {
                container.AppendChild(child);
            }
        }

        macro.Replace(container);
    }

    private static IElement? Find(IElement element, string localName) =>
        element.Descendants<IElement>().FirstOrDefault(e => e.LocalName == localName);

    private static string FirstText(params string?[] candidates) =>
        candidates.FirstOrDefault(c => !string.IsNullOrWhiteSpace(c))?.Trim() ?? string.Empty;

    [GeneratedRegex(@"<((?:ac|ri):[\w-]+)(\s[^<>]*?)?/>")]
    private static partial Regex SelfClosing();

    [GeneratedRegex(@"<!\[CDATA\[(.*?)\]\]>", RegexOptions.Singleline)]
    private static partial Regex Cdata();
}
