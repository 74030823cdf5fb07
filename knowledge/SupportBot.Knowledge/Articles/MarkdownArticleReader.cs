using Markdig.Extensions.Yaml;
using Markdig.Syntax;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace SupportBot.Knowledge.Articles;

/// <summary>
/// Reads a Markdown article with Markdig: the YAML front matter (read with YamlDotNet) gives <c>title</c>,
/// <c>product</c> (or <c>area</c>), <c>url</c>, <c>updated</c> and <c>language</c> (or <c>lang</c>, <c>locale</c>);
/// the rest is the body, which <see cref="ArticleChunker"/> splits at its headings. Without a <c>title</c>, the
/// first heading is the title, else the file name. Front matter that is not valid YAML is read as flat
/// <c>key: value</c> lines, so a stray colon in a title never loses the article.
/// </summary>
public static class MarkdownArticleReader
{
    public static Article Read(string id, string source, string content)
    {
        ArgumentNullException.ThrowIfNull(content);
        content = content.Replace("\r\n", "\n", StringComparison.Ordinal);
        var document = MarkdownText.Parse(content);
        var meta = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var body = content;
        if (document.Count > 0 && document[0] is YamlFrontMatterBlock front)
        {
            meta = FrontMatter(string.Join('\n', Lines(front)));
            var end = front.Span.End + 1;
            body = end >= content.Length ? string.Empty : content[end..].TrimStart('\n');
        }

        var title = Value(meta, "title")
            ?? document.OfType<HeadingBlock>().Select(MarkdownText.LeafText).FirstOrDefault(t => t.Length > 0)
            ?? Path.GetFileNameWithoutExtension(source);
        return new Article(
            id,
            title,
            (Value(meta, "product") ?? Value(meta, "area")) is { } product ? product.ToLowerInvariant() : "general",
            Value(meta, "url") ?? string.Empty,
            Value(meta, "updated"),
            source,
            body)
        {
            Language = Value(meta, "language") ?? Value(meta, "lang") ?? Value(meta, "locale"),
        };
    }

    /// <summary>The front matter's top-level scalar fields (a list becomes its items joined by commas).</summary>
    internal static Dictionary<string, string> FrontMatter(string yaml)
    {
        var meta = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(yaml));
            if (stream.Documents.Count > 0 && stream.Documents[0].RootNode is YamlMappingNode mapping)
            {
                foreach (var (key, value) in mapping.Children)
                {
                    if (key is YamlScalarNode { Value: { } name } && Text(value) is { } text)
                    {
                        meta[name.Trim()] = text;
                    }
                }
            }

            return meta;
        }
        catch (YamlException)
        {
            return FlatFrontMatter(yaml);
        }
    }

    private static string? Text(YamlNode node) => node switch
    {
        YamlScalarNode scalar => scalar.Value?.Trim(),
        YamlSequenceNode list => string.Join(", ", list.Children.OfType<YamlScalarNode>().Select(s => s.Value?.Trim()).Where(s => !string.IsNullOrEmpty(s))),
        _ => null,
    };

    /// <summary>Lines of <c>key: value</c>, quotes around a value removed; anything else ignored.</summary>
    private static Dictionary<string, string> FlatFrontMatter(string yaml)
    {
        var meta = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in yaml.Split('\n'))
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

        return meta;
    }

    private static string? Value(Dictionary<string, string> meta, string key) =>
        meta.TryGetValue(key, out var value) && value.Length > 0 ? value : null;

    private static IEnumerable<string> Lines(LeafBlock block)
    {
        for (var i = 0; i < block.Lines.Count; i++)
        {
            yield return block.Lines.Lines[i].Slice.ToString();
        }
    }
}
