using System.Text.Json;
using SupportBot.Knowledge.Articles;

namespace SupportBot.Knowledge.Ingestion;

/// <summary>
/// Reads a BEIR-format corpus (JSON Lines: <c>_id</c>, <c>title</c>, <c>text</c>; extra fields such as
/// <c>url</c>, <c>product</c> or <c>domain</c> are used when present). Each line is one article whose id
/// is its <c>_id</c>, so search results map back to corpus ids. A bad line is reported and skipped.
/// </summary>
public static class BeirCorpusReader
{
    public static IEnumerable<Article> Read(string source, string content, Action<int, string> onBadLine)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(onBadLine);
        var lineNumber = 0;
        foreach (var line in content.Split('\n'))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            BeirDocument? document;
            try
            {
                document = JsonSerializer.Deserialize(line, KnowledgeJson.Default.BeirDocument);
            }
            catch (JsonException ex)
            {
                onBadLine(lineNumber, $"not a JSON object ({ex.Message})");
                continue;
            }

            var id = string.IsNullOrWhiteSpace(document?.Id) ? document?.PlainId : document.Id;
            if (document is null || string.IsNullOrWhiteSpace(id))
            {
                onBadLine(lineNumber, "no _id");
                continue;
            }

            if (string.IsNullOrWhiteSpace(document.Text))
            {
                onBadLine(lineNumber, "no text");
                continue;
            }

            var product = document.Product ?? document.Domain;
            yield return new Article(
                id,
                document.Title?.Trim() ?? string.Empty,
                string.IsNullOrWhiteSpace(product) ? "general" : product.Trim().ToLowerInvariant(),
                document.Url ?? string.Empty,
                Updated: null,
                $"{source}#{id}",
                document.Text)
            {
                Format = ArticleFormat.PlainText,
            };
        }
    }
}
