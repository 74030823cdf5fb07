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
    public const long MaxFileBytes = 2 * 1024 * 1024;

    private static readonly HashSet<string> Extensions = new(StringComparer.OrdinalIgnoreCase) { ".md", ".markdown", ".txt" };
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
                if (TryRead(root, path, onFailure) is { } article)
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
                    if (TryRead(path, file, onFailure) is { } article)
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

    private static Article? TryRead(string root, string file, Action<string, string> onFailure)
    {
        var reason = Read(root, file, out var article);
        if (reason is not null)
        {
            onFailure(file, reason);
        }

        return article;
    }

    internal static string? Read(string root, string file, out Article? article)
    {
        article = null;
        byte[] bytes;
        try
        {
            var info = new FileInfo(file);
            if (info.Length > MaxFileBytes)
            {
                return $"larger than {MaxFileBytes / (1024 * 1024)} MB";
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
        var id = System.IO.Path.ChangeExtension(relative, null);
        article = MarkdownArticleReader.Read(id, relative, content);
        return string.IsNullOrWhiteSpace(article.Body) ? "no text after the front matter" : null;
    }
}
