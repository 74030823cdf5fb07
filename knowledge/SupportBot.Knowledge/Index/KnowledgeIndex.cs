using Lucene.Net.Analysis;
using Lucene.Net.Analysis.TokenAttributes;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;
using Lucene.Net.Store;
using Lucene.Net.Util;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SupportBot.Core.Languages;
using SupportBot.Knowledge.Articles;
using SupportBot.Knowledge.Ingestion;
using SupportBot.Knowledge.Search;
using SupportBot.Knowledge.Vectors;
using LuceneDirectory = Lucene.Net.Store.Directory;

namespace SupportBot.Knowledge.Index;

/// <summary>
/// The on-disk Lucene.Net index of knowledge chunks (BM25). Opened lazily; built from
/// <see cref="KnowledgeOptions.Sources"/> on first use when the folder holds no index. Searches go
/// through a <see cref="SearcherManager"/>, so a new commit (from this process or an <c>ingest</c>
/// run) becomes visible on the next refresh without a restart. With an embedding generator (registered
/// when <c>Llm:EmbeddingModel</c> is set), every passage is written with its vector.
/// </summary>
public sealed partial class KnowledgeIndex : IDisposable
{
    internal static readonly LuceneVersion Version = LuceneVersion.LUCENE_48;

    /// <summary>
    /// How passages are read and analysed: Markdig reading, and one analyzer and set of fields per language. An ingest
    /// into an index that records another version (or none) reads every file again, unchanged or not.
    /// </summary>
    internal const string AnalysisVersion = "2";

    // The similarity the index is written with. BM25 norms encode only a field's length, the same for every
    // k1 and b, so these two numbers never reach the index: searching uses the configured values
    // (Knowledge:Search:K1 and :B, by default 1.2 and 0.75), and changing them needs no re-index.
    internal static readonly Similarity Similarity = new BM25Similarity(0.9f, 0.4f);

    private readonly KnowledgeOptions _options;
    private readonly ILogger<KnowledgeIndex> _logger;
    private readonly System.Threading.Lock _gate = new();
    private LuceneDirectory? _directory;
    private SearcherManager? _searchers;
    private Task? _opening;

    private readonly Similarity _searchSimilarity;
    private readonly TimeProvider _time;

    public KnowledgeIndex(
        IOptions<KnowledgeOptions> options,
        ILogger<KnowledgeIndex> logger,
        IOptions<KnowledgeSearchOptions>? search = null,
        IEmbeddingGenerator<string, Embedding<float>>? embeddings = null,
        TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _logger = logger;
        var ranking = search?.Value ?? new KnowledgeSearchOptions();
        _searchSimilarity = new LanguageSimilarity((float)ranking.K1, (float)ranking.B);
        Languages = new LanguageDetector(_options.Languages.Count == 0 ? KnownLanguages.All : _options.Languages, _options.DefaultLanguage);
        if (embeddings is not null)
        {
            Embedder = new PassageEmbedder(embeddings);
            Dense = new DenseIndex();
        }
    }

    /// <summary>Embeds passages and questions; null when no embedding model is configured (BM25 only).</summary>
    internal PassageEmbedder? Embedder { get; }

    /// <summary>The passages' vectors, read into memory as each searcher opens; null without an embedding model.</summary>
    internal DenseIndex? Dense { get; }

    /// <summary>
    /// The analyzer used for indexing and querying: per field, each language's fields by that language's analyzer
    /// (<see cref="LanguageAnalysis"/>); the original fields by English stemming and (question) stop words.
    /// </summary>
    public static Analyzer Analyzer { get; } = LanguageAnalysis.PerField;

    /// <summary>The languages analysed on their own (<c>Knowledge:Languages</c>) and the default (<c>Knowledge:DefaultLanguage</c>).</summary>
    public LanguageDetector Languages { get; }

    public string Path => _options.ResolvedIndexPath;

    /// <summary>Why the index cannot serve, or null when it can.</summary>
    public string? Problem { get; private set; } = "knowledge index not opened yet";

    /// <summary>Opens the index, building it from the configured sources when it is empty.</summary>
    public Task EnsureOpenAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_opening is null || _opening.IsFaulted)
            {
                _opening = Task.Run(() => OpenOrReportAsync(cancellationToken), cancellationToken);
            }

            return _opening;
        }
    }

    /// <summary>Runs <paramref name="search"/> on a current searcher.</summary>
    public async Task<T> SearchAsync<T>(Func<IndexSearcher, T> search, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(search);
        await EnsureOpenAsync(cancellationToken);
        var manager = _searchers!;
        var searcher = manager.Acquire();
        try
        {
            return search(searcher);
        }
        finally
        {
            manager.Release(searcher);
        }
    }

    /// <summary>Runs <paramref name="search"/> on a current searcher, which stays acquired across its awaits.</summary>
    public async Task<T> UseSearcherAsync<T>(Func<IndexSearcher, Task<T>> search, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(search);
        await EnsureOpenAsync(cancellationToken);
        var manager = _searchers!;
        var searcher = manager.Acquire();
        try
        {
            return await search(searcher);
        }
        finally
        {
            manager.Release(searcher);
        }
    }

    /// <summary>Whether the index holds any passage of <paramref name="source"/> (read from the current searcher, no write lock).</summary>
    public Task<bool> HoldsSourceAsync(string source, CancellationToken cancellationToken) =>
        SearchAsync(searcher => searcher.Search(new TermQuery(new Term(IndexFields.Source, source)), 1).TotalHits > 0, cancellationToken);

    /// <summary>Picks up commits made since the searcher was opened (e.g. by <c>supportbot ingest</c>).</summary>
    public void Refresh() => _searchers?.MaybeRefresh();

    /// <summary>
    /// Adds or replaces articles (all chunks of an article are replaced together) and commits. Does not
    /// build the index from the configured sources first: an empty index receives only these articles.
    /// Returns the number of passages written.
    /// </summary>
    public Task<int> UpsertAsync(IEnumerable<Article> articles, CancellationToken cancellationToken) =>
        Task.Run(
            async () =>
            {
                var path = _options.ResolvedIndexPath;
                System.IO.Directory.CreateDirectory(path);
                using var directory = FSDirectory.Open(new DirectoryInfo(path));
                var chunks = await WriteAsync(directory, articles, cancellationToken);
                if (_searchers is { } searchers)
                {
                    searchers.MaybeRefreshBlocking();
                    Problem = null;
                }

                return chunks;
            },
            cancellationToken);

    /// <summary>
    /// Brings the articles of <paramref name="source"/> in line with <paramref name="articles"/>, each with a fingerprint
    /// of its content: new or changed ones are written, unchanged ones skipped, ones no longer listed removed; one commit,
    /// without compaction (a source synced often would otherwise rewrite the whole index each time). The fingerprints
    /// are kept in the index like file hashes (<c>{source}/{id}</c>), so a restart does not write everything again.
    /// </summary>
    public Task<(int Written, int Removed)> SyncSourceAsync(string source, IReadOnlyList<(Article Article, string Fingerprint)> articles, CancellationToken cancellationToken) =>
        Task.Run(
            async () =>
            {
                var path = _options.ResolvedIndexPath;
                System.IO.Directory.CreateDirectory(path);
                using var directory = FSDirectory.Open(new DirectoryInfo(path));
                var config = new IndexWriterConfig(Version, Analyzer) { OpenMode = OpenMode.CREATE_OR_APPEND, Similarity = Similarity };
                var writer = new IndexWriter(directory, config);
                try
                {
                    var prefix = source + "/";
                    var indexed = new Dictionary<string, string>(StringComparer.Ordinal);
                    using (var reader = DirectoryReader.Open(writer, applyAllDeletes: true))
                    {
                        var liveDocs = MultiFields.GetLiveDocs(reader);
                        var iterator = MultiFields.GetTerms(reader, IndexFields.FileHash)?.GetEnumerator();
                        DocsEnum? docs = null;
                        if (iterator is not null && iterator.SeekCeil(new BytesRef(prefix)) != TermsEnum.SeekStatus.END)
                        {
                            do
                            {
                                var value = iterator.Term.Utf8ToString();
                                if (!value.StartsWith(prefix, StringComparison.Ordinal))
                                {
                                    break;
                                }

                                docs = iterator.Docs(liveDocs, docs, DocsFlags.NONE);
                                var split = value.LastIndexOf('\n');
                                if (split > prefix.Length && docs.NextDoc() != DocIdSetIterator.NO_MORE_DOCS) // only deleted passages carry it otherwise
                                {
                                    indexed[value[prefix.Length..split]] = value[(split + 1)..];
                                }
                            }
                            while (iterator.MoveNext());
                        }
                    }

                    var passages = new PassageWriter(writer, Embedder, ex => LogEmbeddingFailed(_logger, ex.GetType().Name));
                    var written = 0;
                    foreach (var (article, fingerprint) in articles)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        if (indexed.Remove(article.Id, out var known) && known == fingerprint)
                        {
                            continue;
                        }

                        await passages.AddAsync(ArticleChunker.Split(article, Languages), prefix + article.Id, fingerprint, new Term(IndexFields.Article, article.Id), cancellationToken);
                        written++;
                    }

                    foreach (var gone in indexed.Keys)
                    {
                        passages.Delete(new Term(IndexFields.Article, gone));
                    }

                    if (written == 0 && indexed.Count == 0)
                    {
                        writer.Rollback();
                        return (0, 0);
                    }

                    await passages.CommitAsync(compact: false, cancellationToken);
                    writer.Dispose();
                    _searchers?.MaybeRefreshBlocking();
                    return (written, indexed.Count);
                }
                catch
                {
                    writer.Rollback(); // Dispose would commit the half-written batch.
                    throw;
                }
            },
            cancellationToken);

    /// <summary>
    /// Brings the index in line with <paramref name="paths"/> (files and folders): new and changed files
    /// are (re)indexed, unchanged ones skipped by content hash, files gone from an ingested folder removed;
    /// one commit at the end. A running host picks the commit up on its next refresh.
    /// </summary>
    public Task<IngestSummary> IngestAsync(IReadOnlyList<string> paths, IIngestObserver observer, CancellationToken cancellationToken) =>
        Task.Run(
            async () =>
            {
                var path = _options.ResolvedIndexPath;
                System.IO.Directory.CreateDirectory(path);
                using var directory = FSDirectory.Open(new DirectoryInfo(path));
                var summary = await KnowledgeIngestor.RunAsync(directory, paths, observer, Embedder, cancellationToken, Languages);
                if (_searchers is { } searchers)
                {
                    searchers.MaybeRefreshBlocking();
                    Problem = null;
                }

                return summary;
            },
            cancellationToken);

    /// <summary>Opens the index; a failure becomes the readiness problem instead of a stale "building".</summary>
    private async Task OpenOrReportAsync(CancellationToken cancellationToken)
    {
        try
        {
            await OpenAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Problem = $"knowledge index could not be opened ({ex.GetType().Name}); see the log";
            throw;
        }
    }

    private async Task OpenAsync(CancellationToken cancellationToken)
    {
        var path = _options.ResolvedIndexPath;
        System.IO.Directory.CreateDirectory(path);
        var directory = FSDirectory.Open(new DirectoryInfo(path));
        if (!DirectoryReader.IndexExists(directory))
        {
            Problem = "knowledge index: building";
            await BuildOrWaitForBuilderAsync(directory, _options.ResolvedSources, cancellationToken);
        }
        else if (!IndexWriter.IsLocked(directory) && KnowledgeIngestor.AnalysisChanged(directory))
        {
            // Written by an earlier version (an upgrade over a kept volume): read again the files it was built from,
            // which are still there, before serving; a German question would otherwise miss German articles. Only
            // those files: the configured sources may be the built-in samples while the index holds an ingested base.
            // Not while someone writes it (another replica building or reading it again, an ingest): that writer
            // records the version, and a first commit may be caught half written.
            Problem = "knowledge index: reading the knowledge base again after an upgrade";
            LogReading(_logger);
            await BuildOrWaitForBuilderAsync(directory, null, cancellationToken);
        }

        _searchers = new SearcherManager(directory, new BM25SearcherFactory(_searchSimilarity, Dense is null ? null : WarmDense));
        _directory = directory;
        var searcher = _searchers.Acquire();
        try
        {
            var count = searcher.IndexReader.NumDocs;
            Problem = count == 0 ? "knowledge index is empty: ingest a knowledge base (supportbot ingest PATH)" : null;
            LogOpened(_logger, path, count);
        }
        finally
        {
            _searchers.Release(searcher);
        }
    }

    /// <summary>Builds the index from <paramref name="sources"/>, or reads its own files again when null; or waits for the replica doing it.</summary>
    private async Task BuildOrWaitForBuilderAsync(LuceneDirectory directory, IReadOnlyList<string>? sources, CancellationToken cancellationToken)
    {
        try
        {
            IngestSummary summary;
            if (sources is null)
            {
                summary = await KnowledgeIngestor.ReadAgainAsync(directory, new LoggingObserver(_logger), Embedder, cancellationToken, Languages);
            }
            else
            {
                var names = string.Join(", ", sources);
                LogBuilding(_logger, names);

                summary = await KnowledgeIngestor.RunAsync(directory, sources, new LoggingObserver(_logger), Embedder, cancellationToken, Languages);
            }

            LogBuilt(_logger, summary.Added + summary.Updated, summary.Chunks);
        }
        catch (LockObtainFailedException)
        {
            // Another process (a second replica) is building the same folder: use its result once it
            // has committed and let go of the lock (its first commit can be seen half written before that).
            var deadline = _time.GetUtcNow().AddMinutes(2);
            while (!DirectoryReader.IndexExists(directory) || IndexWriter.IsLocked(directory))
            {
                if (_time.GetUtcNow() > deadline)
                {
                    throw;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(200), _time, cancellationToken);
            }
        }
    }

    private async Task<int> WriteAsync(LuceneDirectory directory, IEnumerable<Article> articles, CancellationToken cancellationToken)
    {
        var config = new IndexWriterConfig(Version, Analyzer) { OpenMode = OpenMode.CREATE_OR_APPEND, Similarity = Similarity };
        var writer = new IndexWriter(directory, config);
        try
        {
            var passages = new PassageWriter(writer, Embedder, ex => LogEmbeddingFailed(_logger, ex.GetType().Name));
            var chunkCount = 0;
            foreach (var article in articles)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var chunks = ArticleChunker.Split(article, Languages);
                await passages.AddAsync(chunks, file: null, hash: null, replacing: new Term(IndexFields.Article, article.Id), cancellationToken);
                chunkCount += chunks.Count;
            }

            await passages.CommitAsync(compact: true, cancellationToken);
            writer.Dispose();
            return chunkCount;
        }
        catch
        {
            writer.Rollback(); // Dispose would commit the half-written batch.
            throw;
        }
    }

    /// <summary>
    /// Merges the committed index into one segment and commits again. The index is read far more than
    /// written: one segment means each query term is looked up once, not once per segment (at 100k
    /// passages a search allocates a third and takes about half the time). The content is already
    /// committed, so a crash here leaves it intact.
    /// </summary>
    internal static void Compact(IndexWriter writer)
    {
        writer.ForceMerge(1);
        writer.Commit();
    }

    internal static Document ToDocument(Chunk chunk, string? file, string? hash)
    {
        // English passages keep the original fields (searchable and stored); another language's are searched in
        // its own fields, with the title and section stored in the original ones for every reader of the index.
        var fields = LanguageFields.For(chunk.Language);
        var stored = fields.Original ? Field.Store.YES : Field.Store.NO;
        var document = new Document
        {
            new StringField(IndexFields.Id, chunk.Id, Field.Store.YES),
            new StringField(IndexFields.Article, chunk.ArticleId, Field.Store.YES),
            new TextField(fields.Title, chunk.Title, stored),
            new StringField(IndexFields.Product, chunk.Product, Field.Store.YES),
            new StoredField(IndexFields.Url, chunk.Url),
            new StringField(IndexFields.Source, chunk.Source, Field.Store.YES), // a search may be restricted to sources
            new StoredField(IndexFields.Body, chunk.Text),
            new TextField(fields.Text, $"{chunk.Title}\n{chunk.Section}\n{chunk.Text}", Field.Store.NO),
            new NumericDocValuesField(IndexFields.Lead, chunk.Section is null ? 1 : 0),
        };
        if (chunk.Section is not null)
        {
            document.Add(new TextField(fields.Section, chunk.Section, stored));
        }

        if (!fields.Original)
        {
            document.Add(new StoredField(IndexFields.Title, chunk.Title));
            if (chunk.Section is not null)
            {
                document.Add(new StoredField(IndexFields.Section, chunk.Section));
            }

            document.Add(new StringField(IndexFields.Language, fields.Language, Field.Store.YES));
        }

        if (chunk.Updated is { } updated)
        {
            document.Add(new StoredField(IndexFields.Updated, ArticleDates.Format(updated)));
        }

        if (file is not null && hash is not null)
        {
            document.Add(new StringField(IndexFields.File, file, Field.Store.YES));
            document.Add(new StringField(IndexFields.FileHash, $"{file}\n{hash}", Field.Store.NO));
        }

        return document;
    }

    /// <summary>The analyzed terms of <paramref name="text"/> (stemmed, stop words removed), in order.</summary>
    public static List<string> Terms(string text) => Terms(text, KnownLanguages.English);

    /// <summary>The terms of <paramref name="text"/> as <paramref name="language"/>'s fields hold them, in order.</summary>
    public static List<string> Terms(string text, string language)
    {
        var terms = new List<string>();
        using var stream = Analyzer.GetTokenStream(LanguageFields.For(language).Text, text);
        var term = stream.AddAttribute<ICharTermAttribute>();
        stream.Reset();
        while (stream.IncrementToken())
        {
            terms.Add(term.ToString());
        }

        stream.End();
        return terms;
    }

    /// <summary>A failure here must not stop the refresh: the search reads a segment it misses itself.</summary>
    private void WarmDense(IndexReader reader)
    {
        try
        {
            Dense!.Warm(reader, Embedder!.Space);
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or ArgumentException)
        {
            LogWarmFailed(_logger, ex.GetType().Name);
        }
    }

    public void Dispose()
    {
        _searchers?.Dispose();
        _directory?.Dispose();
    }

    /// <summary>
    /// Searchers with the configured BM25 parameters. With vectors, a new searcher's changed segments are
    /// read into the dense index here, on the refresh, so no question waits for it.
    /// </summary>
    private sealed class BM25SearcherFactory(Similarity similarity, Action<IndexReader>? warm) : SearcherFactory
    {
        public override IndexSearcher NewSearcher(IndexReader reader)
        {
            warm?.Invoke(reader);
            return new(reader) { Similarity = similarity };
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Knowledge index is empty; building it from {Sources}")]
    private static partial void LogBuilding(ILogger logger, string sources);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Knowledge index was written by an earlier version; reading its files again before serving")]
    private static partial void LogReading(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Knowledge index built: {Files} files, {Chunks} passages")]
    private static partial void LogBuilt(ILogger logger, int files, int chunks);

    [LoggerMessage(Level = LogLevel.Information, Message = "Knowledge index opened at {Path} with {Count} passages")]
    private static partial void LogOpened(ILogger logger, string path, int count);

    // The exception type only: provider messages can echo request details.
    [LoggerMessage(Level = LogLevel.Warning, Message = "The embedding model failed ({Error}); passages were written without vectors")]
    private static partial void LogEmbeddingFailed(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading the passages' vectors into memory failed ({Error}); searches will try again")]
    private static partial void LogWarmFailed(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Skipped {File}: {Reason}")]
    private static partial void LogSkipped(ILogger logger, string file, string reason);

    private sealed class LoggingObserver(ILogger logger) : IIngestObserver
    {
        public void Started(int files)
        {
        }

        public void FileDone(string path, IngestOutcome outcome, string? reason)
        {
            if (outcome == IngestOutcome.Failed)
            {
                LogSkipped(logger, path, reason ?? "failed");
            }
        }

        public void Problem(string location, string reason) => LogSkipped(logger, location, reason);
    }
}
