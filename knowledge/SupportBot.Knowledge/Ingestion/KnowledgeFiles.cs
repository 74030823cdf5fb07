using System.Security.Cryptography;
using System.Text;
using SupportBot.Knowledge.Articles;

namespace SupportBot.Knowledge.Ingestion;

/// <summary>A knowledge file found below an ingest path.</summary>
/// <param name="Path">Full path: the file's identity in the index.</param>
/// <param name="Source">The path below its ingest root, shown in citations.</param>
public sealed record KnowledgeFile(string Path, string Source);

/// <summary>A knowledge file that passed the checks: its content hash and text.</summary>
public sealed record CheckedFile(KnowledgeFile File, string Hash, string Content);

/// <summary>
/// Finds, checks and reads knowledge files: Markdown (front matter, headings), HTML, plain text and
/// BEIR JSON Lines corpora, in folders recursively. A file that cannot be read is reported with its
/// reason and skipped; it never stops the batch.
/// </summary>
public static class KnowledgeFiles
{
    /// <summary>An article file larger than this is not an article (a log, an export): it is reported, not read.</summary>
    public const long MaxFileBytes = 2 * 1024 * 1024;

    /// <summary>A BEIR corpus holds many articles, so it may be larger.</summary>
    public const long MaxCorpusBytes = 256 * 1024 * 1024;

    private static readonly HashSet<string> Extensions = new(StringComparer.OrdinalIgnoreCase) { ".md", ".markdown", ".txt", ".html", ".htm", ".jsonl" };
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The knowledge files below <paramref name="paths"/> (files are taken as given, folders searched recursively), in a stable order.</summary>
    public static IEnumerable<KnowledgeFile> Discover(IEnumerable<string> paths, Action<string, string> onFailure)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(onFailure);
        foreach (var path in paths)
        {
            if (File.Exists(path))
            {
                var full = System.IO.Path.GetFullPath(path);
                yield return new KnowledgeFile(full, System.IO.Path.GetFileName(full));
            }
            else if (Directory.Exists(path))
            {
                var root = System.IO.Path.GetFullPath(path);
                var files = Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
                    .Where(f => Extensions.Contains(System.IO.Path.GetExtension(f)))
                    .Order(StringComparer.Ordinal);
                foreach (var file in files)
                {
                    yield return new KnowledgeFile(file, System.IO.Path.GetRelativePath(root, file).Replace('\\', '/'));
                }
            }
            else
            {
                onFailure(path, "no such file or folder");
            }
        }
    }

    /// <summary>Reads and checks a file: size, binary content, UTF-8, emptiness. Returns the reason it is bad, or null.</summary>
    public static string? Check(KnowledgeFile file, out CheckedFile? result)
    {
        ArgumentNullException.ThrowIfNull(file);
        result = null;
        byte[] bytes;
        try
        {
            var info = new FileInfo(file.Path);
            var limit = IsCorpus(file) ? MaxCorpusBytes : MaxFileBytes;
            if (info.Length > limit)
            {
                return $"larger than {limit / (1024 * 1024)} MB";
            }

            bytes = File.ReadAllBytes(file.Path);
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

        result = new CheckedFile(file, Convert.ToHexStringLower(SHA256.HashData(bytes)), content);
        return null;
    }

    /// <summary>The articles of a checked file; a bad corpus line is reported through <paramref name="onBadLine"/>.</summary>
    public static string? Parse(CheckedFile file, Action<int, string> onBadLine, out IReadOnlyList<Article> articles)
    {
        ArgumentNullException.ThrowIfNull(file);
        var source = file.File.Source;
        if (IsCorpus(file.File))
        {
            articles = [.. BeirCorpusReader.Read(source, file.Content, onBadLine)];
            return articles.Count == 0 ? "no documents (BEIR JSON Lines: _id, title, text)" : null;
        }

        var id = System.IO.Path.ChangeExtension(source, null);
        var extension = System.IO.Path.GetExtension(source);
        var article = extension.Equals(".html", StringComparison.OrdinalIgnoreCase) || extension.Equals(".htm", StringComparison.OrdinalIgnoreCase)
            ? HtmlArticleReader.Read(id, source, file.Content)
            : MarkdownArticleReader.Read(id, source, file.Content);
        articles = string.IsNullOrWhiteSpace(article.Body) ? [] : [article];
        return articles.Count == 0 ? "no text after the front matter" : null;
    }

    private static bool IsCorpus(KnowledgeFile file) => System.IO.Path.GetExtension(file.Path).Equals(".jsonl", StringComparison.OrdinalIgnoreCase);
}
