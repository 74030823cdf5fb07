using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Util;
using SupportBot.Knowledge.Articles;
using SupportBot.Knowledge.Index;
using LuceneDirectory = Lucene.Net.Store.Directory;

namespace SupportBot.Knowledge.Ingestion;

/// <summary>What one ingest run did, file by file.</summary>
/// <param name="Added">Files new to the index.</param>
/// <param name="Updated">Files whose content changed: their passages were replaced.</param>
/// <param name="Removed">Files gone from an ingested folder: their passages were deleted.</param>
/// <param name="Unchanged">Files with the same content hash as indexed: nothing done.</param>
/// <param name="Failed">Files (or corpus lines) that could not be read; reported with their reason.</param>
/// <param name="Chunks">Passages written.</param>
public sealed record IngestSummary(int Added, int Updated, int Removed, int Unchanged, int Failed, int Chunks);

/// <summary>What happened to one file.</summary>
public enum IngestOutcome
{
    Added,
    Updated,
    Unchanged,
    Removed,
    Failed,
}

/// <summary>Hears about an ingest run as it goes (progress bar, log lines).</summary>
public interface IIngestObserver
{
    void Started(int files);

    void FileDone(string path, IngestOutcome outcome, string? reason);

    /// <summary>A part of a file (a corpus line) or a given path that could not be used; the run goes on.</summary>
    void Problem(string location, string reason);
}

/// <summary>
/// Brings the index in line with files and folders. Each file's content hash is stored with its
/// passages: an unchanged file is a no-op, a changed one has its passages replaced, and a file gone
/// from an ingested folder loses them. All changes become visible in one commit at the end, so a
/// crash or cancellation mid-run leaves the previous index intact (Lucene keeps the last commit).
/// </summary>
internal static class KnowledgeIngestor
{
    public static IngestSummary Run(LuceneDirectory directory, IReadOnlyList<string> paths, IIngestObserver observer, CancellationToken cancellationToken)
    {
        var failed = 0;
        var files = KnowledgeFiles.Discover(paths, (path, reason) =>
        {
            failed++;
            observer.Problem(path, reason);
        }).ToList();
        observer.Started(files.Count);

        var indexed = IndexedFiles(directory);
        var config = new IndexWriterConfig(KnowledgeIndex.Version, KnowledgeIndex.Analyzer)
        {
            OpenMode = OpenMode.CREATE_OR_APPEND,
            Similarity = KnowledgeIndex.Similarity,
            RAMBufferSizeMB = 64,
        };
        var writer = new IndexWriter(directory, config);
        try
        {
            int added = 0, updated = 0, unchanged = 0, removed = 0, chunks = 0;
            foreach (var file in files)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (KnowledgeFiles.Check(file, out var checkedFile) is { } reason)
                {
                    failed++;
                    observer.FileDone(file.Path, IngestOutcome.Failed, reason);
                    continue;
                }

                var known = indexed.TryGetValue(file.Path, out var hash);
                if (known && hash == checkedFile!.Hash)
                {
                    unchanged++;
                    observer.FileDone(file.Path, IngestOutcome.Unchanged, null);
                    continue;
                }

                var problem = KnowledgeFiles.Parse(checkedFile!, (line, why) =>
                {
                    failed++;
                    observer.Problem($"{file.Path}:{line}", why);
                }, out var articles);
                if (problem is not null)
                {
                    failed++;
                    observer.FileDone(file.Path, IngestOutcome.Failed, problem);
                    continue;
                }

                writer.DeleteDocuments(new Term(IndexFields.File, file.Path));
                foreach (var article in articles)
                {
                    // Also replaces the article when it was indexed before files were tracked.
                    writer.DeleteDocuments(new Term(IndexFields.Article, article.Id));
                    var articleChunks = ArticleChunker.Split(article);
                    writer.AddDocuments(articleChunks.Select(c => KnowledgeIndex.ToDocument(c, file.Path, checkedFile!.Hash)));
                    chunks += articleChunks.Count;
                }

                if (known)
                {
                    updated++;
                }
                else
                {
                    added++;
                }

                observer.FileDone(file.Path, known ? IngestOutcome.Updated : IngestOutcome.Added, null);
            }

            // Files that were indexed from an ingested folder and are no longer in it.
            var seen = files.Select(f => f.Path).ToHashSet(StringComparer.Ordinal);
            var folders = paths.Where(Directory.Exists)
                .Select(p => Path.TrimEndingDirectorySeparator(Path.GetFullPath(p)) + Path.DirectorySeparatorChar)
                .ToList();
            foreach (var gone in indexed.Keys.Where(p => !seen.Contains(p) && folders.Any(f => p.StartsWith(f, StringComparison.Ordinal))).Order(StringComparer.Ordinal))
            {
                cancellationToken.ThrowIfCancellationRequested();
                writer.DeleteDocuments(new Term(IndexFields.File, gone));
                removed++;
                observer.FileDone(gone, IngestOutcome.Removed, null);
            }

            writer.Commit();
            if (added + updated + removed > 0)
            {
                KnowledgeIndex.Compact(writer);
            }

            writer.Dispose();
            return new IngestSummary(added, updated, removed, unchanged, failed, chunks);
        }
        catch
        {
            // Discard everything since the last commit; Dispose alone would commit it.
            writer.Rollback();
            throw;
        }
    }

    /// <summary>The files the index holds passages of, with their content hashes (live documents only).</summary>
    internal static Dictionary<string, string> IndexedFiles(LuceneDirectory directory)
    {
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!DirectoryReader.IndexExists(directory))
        {
            return files;
        }

        using var reader = DirectoryReader.Open(directory);
        var terms = MultiFields.GetTerms(reader, IndexFields.FileHash);
        if (terms is null)
        {
            return files;
        }

        var liveDocs = MultiFields.GetLiveDocs(reader);
        var iterator = terms.GetEnumerator();
        DocsEnum? docs = null;
        while (iterator.MoveNext())
        {
            docs = iterator.Docs(liveDocs, docs, DocsFlags.NONE);
            if (docs.NextDoc() == DocIdSetIterator.NO_MORE_DOCS)
            {
                continue; // Only deleted passages carry this value.
            }

            var value = iterator.Term.Utf8ToString();
            var separator = value.LastIndexOf('\n');
            files[value[..separator]] = value[(separator + 1)..];
        }

        return files;
    }
}
