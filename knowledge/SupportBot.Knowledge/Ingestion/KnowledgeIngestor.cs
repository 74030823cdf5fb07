using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Util;
using SupportBot.Core.Languages;
using SupportBot.Core.Redaction;
using SupportBot.Knowledge.Articles;
using SupportBot.Knowledge.Index;
using SupportBot.Knowledge.Vectors;
using LuceneDirectory = Lucene.Net.Store.Directory;

namespace SupportBot.Knowledge.Ingestion;

/// <summary>What one ingest run did, file by file.</summary>
/// <param name="Added">Files new to the index.</param>
/// <param name="Updated">Files whose content changed: their passages were replaced.</param>
/// <param name="Removed">Files gone from an ingested folder: their passages were deleted.</param>
/// <param name="Unchanged">Files with the same content hash as indexed: nothing done.</param>
/// <param name="Failed">Files (or corpus lines) that could not be read; reported with their reason.</param>
/// <param name="Chunks">Passages written.</param>
public sealed record IngestSummary(int Added, int Updated, int Removed, int Unchanged, int Failed, int Chunks)
{
    /// <summary>Passages written with a vector (only with an embedding model configured).</summary>
    public int Embedded { get; init; }
}

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
/// With an embedding model, passages are written with their vectors, and an unchanged file whose
/// passages lack a vector of that model (indexed before, or by another model) counts as changed.
/// </summary>
internal static class KnowledgeIngestor
{
    /// <summary>An indexed file: its content hash, and whether all its passages have a vector of the configured model.</summary>
    internal readonly record struct IndexedFile(string Hash, bool Embedded);

    /// <param name="languages">Tells each article's language (which analyzer indexes it); all languages, English the default, when null.</param>
    public static async Task<IngestSummary> RunAsync(LuceneDirectory directory, IReadOnlyList<string> paths, IIngestObserver observer, PassageEmbedder? embedder, CancellationToken cancellationToken, LanguageDetector? languages = null)
    {
        var failed = 0;
        var files = KnowledgeFiles.Discover(paths, (path, reason) =>
        {
            failed++;
            observer.Problem(path, reason);
        }).ToList();

        // Files that were indexed from an ingested folder and are no longer in it are removed.
        var folders = paths.Where(Directory.Exists)
            .Select(p => Path.TrimEndingDirectorySeparator(Path.GetFullPath(p)) + Path.DirectorySeparatorChar)
            .ToList();
        return await RunAsync(directory, files, folders, failed, observer, embedder, languages, cancellationToken);
    }

    /// <summary>
    /// Reads again every file the index holds passages of that is still there, each under the name it was ingested
    /// with (its articles keep their ids), removing nothing: after an upgrade that reads or analyses differently.
    /// </summary>
    public static async Task<IngestSummary> ReadAgainAsync(LuceneDirectory directory, IIngestObserver observer, PassageEmbedder? embedder, CancellationToken cancellationToken, LanguageDetector? languages = null)
    {
        var files = IngestedFiles(directory).Where(f => File.Exists(f.Path)).OrderBy(f => f.Path, StringComparer.Ordinal).ToList();
        return await RunAsync(directory, files, folders: [], failed: 0, observer, embedder, languages, cancellationToken);
    }

    private static async Task<IngestSummary> RunAsync(LuceneDirectory directory, List<KnowledgeFile> files, IReadOnlyList<string> folders, int failed, IIngestObserver observer, PassageEmbedder? embedder, LanguageDetector? languages, CancellationToken cancellationToken)
    {
        observer.Started(files.Count);

        var indexed = IndexedFiles(directory, embedder?.Space);
        var analysisChanged = AnalysisChanged(directory);
        if (analysisChanged)
        {
            // Passages analysed differently (another reader or analyzer version) are read again, whatever their hash.
            indexed = indexed.ToDictionary(f => f.Key, f => f.Value with { Hash = string.Empty }, StringComparer.Ordinal);
        }
        var config = new IndexWriterConfig(KnowledgeIndex.Version, KnowledgeIndex.Analyzer)
        {
            OpenMode = OpenMode.CREATE_OR_APPEND,
            Similarity = KnowledgeIndex.Similarity,
            RAMBufferSizeMB = 64,
        };
        var writer = new IndexWriter(directory, config);
        try
        {
            var passages = new PassageWriter(writer, embedder, ex => observer.Problem(
                "embedding model",
                $"{ex.GetType().Name}: the rest is written without vectors (search falls back to BM25 for it); the next ingest embeds it"));
            int added = 0, updated = 0, unchanged = 0, removed = 0, chunks = 0;
            foreach (var file in files)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (KnowledgeFiles.Check(file, out var checkedFile) is { } reason)
                {
                    failed++;
                    passages.Then(() => observer.FileDone(file.Path, IngestOutcome.Failed, reason));
                    continue;
                }

                var known = indexed.TryGetValue(file.Path, out var state);
                if (known && state.Hash == checkedFile!.Hash && (state.Embedded || !passages.Embeds))
                {
                    unchanged++;
                    passages.Then(() => observer.FileDone(file.Path, IngestOutcome.Unchanged, null));
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
                    passages.Then(() => observer.FileDone(file.Path, IngestOutcome.Failed, problem));
                    continue;
                }

                passages.Delete(new Term(IndexFields.File, file.Path));
                foreach (var article in articles)
                {
                    // Also replaces the article when it was indexed before files were tracked.
                    passages.Delete(new Term(IndexFields.Article, article.Id));
                    // Masked before the index and the embedding model see it: a pasted card number in an article
                    // would otherwise be searchable and quoted back in answers.
                    var articleChunks = ArticleChunker.Split(article with { Title = SensitiveDataRedactor.Redact(article.Title), Body = SensitiveDataRedactor.Redact(article.Body) }, languages);
                    await passages.AddAsync(articleChunks, file.Path, checkedFile!.Hash, replacing: null, cancellationToken);
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

                passages.Then(() => observer.FileDone(file.Path, known ? IngestOutcome.Updated : IngestOutcome.Added, null));
            }

            // Files that were indexed from an ingested folder and are no longer in it.
            var seen = files.Select(f => f.Path).ToHashSet(StringComparer.Ordinal);
            foreach (var gone in indexed.Keys.Where(p => !seen.Contains(p) && folders.Any(f => p.StartsWith(f, StringComparison.Ordinal))).Order(StringComparer.Ordinal))
            {
                cancellationToken.ThrowIfCancellationRequested();
                passages.Delete(new Term(IndexFields.File, gone));
                removed++;
                passages.Then(() => observer.FileDone(gone, IngestOutcome.Removed, null));
            }

            if (analysisChanged)
            {
                var data = new Dictionary<string, string>(writer.CommitData ?? new Dictionary<string, string>(), StringComparer.Ordinal)
                {
                    [IndexFields.AnalysisCommitKey] = KnowledgeIndex.AnalysisVersion,
                };
                writer.SetCommitData(data);
            }

            await passages.CommitAsync(compact: added + updated + removed > 0, cancellationToken);

            writer.Dispose();
            return new IngestSummary(added, updated, removed, unchanged, failed, chunks) { Embedded = passages.Embedded };
        }
        catch
        {
            // Discard everything since the last commit; Dispose alone would commit it.
            writer.Rollback();
            throw;
        }
    }

    /// <summary>True when the index's passages were read or analysed differently from <see cref="KnowledgeIndex.AnalysisVersion"/>.</summary>
    internal static bool AnalysisChanged(LuceneDirectory directory)
    {
        if (!DirectoryReader.IndexExists(directory))
        {
            return true;
        }

        using var reader = DirectoryReader.Open(directory);
        return !reader.IndexCommit.UserData.TryGetValue(IndexFields.AnalysisCommitKey, out var version) || version != KnowledgeIndex.AnalysisVersion;
    }

    /// <summary>The files the index holds passages of (live documents only), each with the name it was ingested under.</summary>
    internal static List<KnowledgeFile> IngestedFiles(LuceneDirectory directory)
    {
        var files = new Dictionary<string, KnowledgeFile>(StringComparer.Ordinal);
        if (!DirectoryReader.IndexExists(directory))
        {
            return [];
        }

        using var reader = DirectoryReader.Open(directory);
        var liveDocs = MultiFields.GetLiveDocs(reader);
        var fields = new HashSet<string>(StringComparer.Ordinal) { IndexFields.File, IndexFields.Source, IndexFields.Article };
        for (var doc = 0; doc < reader.MaxDoc; doc++)
        {
            if (liveDocs is not null && !liveDocs.Get(doc))
            {
                continue;
            }

            var stored = reader.Document(doc, fields);
            if (stored.Get(IndexFields.File) is not { } path || files.ContainsKey(path) || stored.Get(IndexFields.Source) is not { } source)
            {
                continue;
            }

            // A corpus's passages name their document after the file ("corpus.jsonl#id"); an article file's name itself.
            var corpusSuffix = "#" + stored.Get(IndexFields.Article);
            if (source.EndsWith(corpusSuffix, StringComparison.Ordinal) && !path.EndsWith(corpusSuffix, StringComparison.Ordinal))
            {
                source = source[..^corpusSuffix.Length];
            }

            files[path] = new KnowledgeFile(path, source);
        }

        return [.. files.Values];
    }

    /// <summary>
    /// The files the index holds passages of (live documents only), with their content hashes and, for
    /// <paramref name="space"/>, whether every passage has a vector of that embedding model.
    /// </summary>
    internal static Dictionary<string, IndexedFile> IndexedFiles(LuceneDirectory directory, long? space)
    {
        var files = new Dictionary<string, IndexedFile>(StringComparer.Ordinal);
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
        var spaces = space is null ? null : MultiDocValues.GetNumericValues(reader, IndexFields.VectorSpace);
        var iterator = terms.GetEnumerator();
        DocsEnum? docs = null;
        while (iterator.MoveNext())
        {
            docs = iterator.Docs(liveDocs, docs, DocsFlags.NONE);
            var doc = docs.NextDoc();
            if (doc == DocIdSetIterator.NO_MORE_DOCS)
            {
                continue; // Only deleted passages carry this value.
            }

            var embedded = true;
            if (space is { } wanted)
            {
                for (; doc != DocIdSetIterator.NO_MORE_DOCS && embedded; doc = docs.NextDoc())
                {
                    embedded = spaces is not null && spaces.Get(doc) == wanted;
                }
            }

            var value = iterator.Term.Utf8ToString();
            var separator = value.LastIndexOf('\n');
            files[value[..separator]] = new IndexedFile(value[(separator + 1)..], embedded);
        }

        return files;
    }
}
