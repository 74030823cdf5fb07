using System.Text;
using SupportBot.Knowledge.Articles;

namespace SupportBot.Knowledge.Ingestion;

/// <summary>
/// Finds and reads knowledge files (Markdown and plain text) below the given files and folders.
/// A file that cannot be read is reported through <c>onFailure</c> with its reason and skipped;
/// it never stops the batch.
/// </summary>
public static class KnowledgeFiles
{
    /// <summary>An article file larger than this is not an article (a log, an export): it is reported, not read.</summary>
    public const long MaxFileBytes = 2 * 1024 * 1024;

    /// <summary>A BEIR corpus holds many articles, so it may be larger.</summary>
    public const long MaxCorpusBytes = 256 * 1024 * 1024;

    private static readonly HashSet<string> Extensions = new(StringComparer.OrdinalIgnoreCase) { ".md", ".markdown", ".txt", ".jsonl" };
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static IEnumerable<Article> ReadAll(IEnumerable<string> paths, Action<string, string> onFailure)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(onFailure);
        foreach (var path in paths)
        {
            if (File.Exists(path))
            {
                var root = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!;
                foreach (var article in TryRead(root, path, onFailure))
                {
                    yield return article;
                }
            }
            else if (Directory.Exists(path))
            {
                var files = Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories)
                    .Where(f => Extensions.Contains(System.IO.Path.GetExtension(f)))
                    .Order(StringComparer.Ordinal);
                foreach (var file in files)
                {
                    foreach (var article in TryRead(path, file, onFailure))
                    {
                        yield return article;
                    }
                }
            }
            else
            {
                onFailure(path, "no such file or folder");
            }
        }
    }

    private static IEnumerable<Article> TryRead(string root, string file, Action<string, string> onFailure)
    {
        var reason = Read(root, file, out var articles, onFailure);
        if (reason is not null)
        {
            onFailure(file, reason);
        }

        return articles;
    }

    internal static string? Read(string root, string file, out IReadOnlyList<Article> articles, Action<string, string> onFailure)
    {
        articles = [];
        byte[] bytes;
        try
        {
            var info = new FileInfo(file);
            var limit = System.IO.Path.GetExtension(file).Equals(".jsonl", StringComparison.OrdinalIgnoreCase) ? MaxCorpusBytes : MaxFileBytes;
            if (info.Length > limit)
            {
                return $"larger than {limit / (1024 * 1024)} MB";
            }

            bytes = File.ReadAllBytes(file);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return $"cannot be read ({ex.Message})";
        }

        if (Array.IndexOf(bytes, (byte)0) >= 0)
        {
            return "binary file (contains NUL bytes)";
        }

        string content;
        try
        {
            content = StrictUtf8.GetString(bytes).TrimStart('\uFEFF');
        }
        catch (DecoderFallbackException)
        {
            return "not valid UTF-8";
        }

        if (string.IsNullOrWhiteSpace(content))
        {
            return "empty";
        }

        var relative = System.IO.Path.GetRelativePath(root, file).Replace('\\', '/');
        if (System.IO.Path.GetExtension(file).Equals(".jsonl", StringComparison.OrdinalIgnoreCase))
        {
            articles = [.. BeirCorpusReader.Read(relative, content, (line, reason) => onFailure($"{file}:{line}", reason))];
            return articles.Count == 0 ? "no documents (BEIR JSON Lines: _id, title, text)" : null;
        }

        var id = System.IO.Path.ChangeExtension(relative, null);
        var article = MarkdownArticleReader.Read(id, relative, content);
        articles = [article];
        return string.IsNullOrWhiteSpace(article.Body) ? "no text after the front matter" : null;
    }
}
