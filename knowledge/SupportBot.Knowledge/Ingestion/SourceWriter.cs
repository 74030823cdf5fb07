using System.Security.Cryptography;
using System.Text;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Store;
using SupportBot.Core.Languages;
using SupportBot.Core.Redaction;
using SupportBot.Knowledge.Articles;
using SupportBot.Knowledge.Connectors;
using SupportBot.Knowledge.Index;
using SupportBot.Knowledge.Vectors;

namespace SupportBot.Knowledge.Ingestion;

/// <summary>
/// Writes a remote source's articles into the index, page by page, each page in its own commit (so an interrupted sync
/// keeps what it wrote). A remote article is tracked like a file: its passages carry <c>connector:NAME/KEY</c> as their
/// file and a hash of its content, so an unchanged article is a no-op and the source's articles can be listed from the
/// index alone (to find deletions). Its id is <c>NAME:KEY</c>; its citation source is the source's name in lower case.
/// </summary>
internal sealed class SourceWriter(string indexPath, string source, PassageEmbedder? embedder, Action<string, string> problem, LanguageDetector? languages = null)
{
    /// <summary>Stored on each passage of a remote article that has a locale (<c>en-us</c>, <c>de</c>).</summary>
    public const string LocaleField = "locale";

    /// <summary>How long a page waits for another writer (a file ingest, another source) to let go of the index.</summary>
    private const long WriteLockTimeoutMs = 60_000;

    private string Prefix => $"connector:{source.ToLowerInvariant()}/";

    public string ArticleId(string key) => $"{source.ToLowerInvariant()}:{key}";

    /// <summary>The source's articles in the index: key → content hash.</summary>
    public Dictionary<string, string> Indexed()
    {
        System.IO.Directory.CreateDirectory(indexPath);
        using var directory = FSDirectory.Open(new DirectoryInfo(indexPath));
        return KnowledgeIngestor.IndexedFiles(directory, space: null)
            .Where(f => f.Key.StartsWith(Prefix, StringComparison.Ordinal))
            .ToDictionary(f => f.Key[Prefix.Length..], f => f.Value.Hash, StringComparer.Ordinal);
    }

    /// <summary>Adds changed articles, removes <paramref name="removals"/>, commits; updates <paramref name="indexed"/> and reports each article.</summary>
    public async Task<(int Added, int Updated, int Unchanged, int Removed)> WriteAsync(
        IReadOnlyList<RemoteArticle> articles,
        IReadOnlyCollection<string> removals,
        Dictionary<string, string> indexed,
        ISyncObserver observer,
        bool compact,
        CancellationToken cancellationToken)
    {
        int added = 0, updated = 0, unchanged = 0, removed = 0;
        var changes = new List<(RemoteArticle Article, string Hash, bool Known)>();
        foreach (var article in articles)
        {
            var hash = Hash(article);
            var known = indexed.TryGetValue(article.Key, out var before);
            if (known && before == hash)
            {
                unchanged++;
                observer.ArticleDone(ArticleId(article.Key), IngestOutcome.Unchanged, null);
                continue;
            }

            changes.Add((article, hash, known));
        }

        var gone = removals.Where(indexed.ContainsKey).Distinct(StringComparer.Ordinal).ToList();
        if (changes.Count == 0 && gone.Count == 0 && !compact)
        {
            return (added, updated, unchanged, removed);
        }

        System.IO.Directory.CreateDirectory(indexPath);
        using var directory = FSDirectory.Open(new DirectoryInfo(indexPath));
        var config = new IndexWriterConfig(KnowledgeIndex.Version, KnowledgeIndex.Analyzer)
        {
            OpenMode = OpenMode.CREATE_OR_APPEND,
            Similarity = KnowledgeIndex.Similarity,
            WriteLockTimeout = WriteLockTimeoutMs,
        };
        var writer = new IndexWriter(directory, config);
        try
        {
            var passages = new PassageWriter(writer, embedder, ex => problem("embedding model", $"{ex.GetType().Name}: written without vectors; the next change embeds them"));
            foreach (var (remote, hash, known) in changes)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var file = Prefix + remote.Key;
                var id = ArticleId(remote.Key);
                var article = new Article(
                    id,
                    SensitiveDataRedactor.Redact(remote.Title),
                    remote.Product,
                    remote.Url,
                    remote.Updated?.UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                    source.ToLowerInvariant(), // the term a channel's `sources` restricts answers to
                    SensitiveDataRedactor.Redact(remote.Body))
                {
                    Language = remote.Locale, // a locale (de, en-us) is read as its language; without one the text is detected
                };
                passages.Delete(new Term(IndexFields.File, file));
                passages.Delete(new Term(IndexFields.Article, id));
                var chunks = string.IsNullOrWhiteSpace(article.Body) ? [] : ArticleChunker.Split(article, languages);
                if (chunks.Count == 0)
                {
                    passages.Then(() => observer.ArticleDone(id, IngestOutcome.Failed, "no text"));
                    indexed.Remove(remote.Key);
                    continue;
                }

                await passages.AddAsync(chunks, file, hash, replacing: null, cancellationToken, remote.Locale is { Length: > 0 } locale ? d => d.Add(new StringField(LocaleField, locale, Field.Store.YES)) : null);
                indexed[remote.Key] = hash;
                if (known)
                {
                    updated++;
                }
                else
                {
                    added++;
                }

                passages.Then(() => observer.ArticleDone(id, known ? IngestOutcome.Updated : IngestOutcome.Added, remote.Title));
            }

            foreach (var key in gone)
            {
                passages.Delete(new Term(IndexFields.File, Prefix + key));
                indexed.Remove(key);
                removed++;
                passages.Then(() => observer.ArticleDone(ArticleId(key), IngestOutcome.Removed, null));
            }

            await passages.CommitAsync(compact, cancellationToken);
            writer.Dispose();
            return (added, updated, unchanged, removed);
        }
        catch
        {
            writer.Rollback(); // Dispose would commit the half-written page.
            throw;
        }
    }

    // With the analysis version: after an upgrade that analyses differently, a full sync writes every article again.
    private static string Hash(RemoteArticle article)
    {
        var text = string.Join('\n', KnowledgeIndex.AnalysisVersion, article.Title, article.Url, article.Updated?.ToUnixTimeSeconds(), article.Product, article.Locale, article.Body);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }
}
