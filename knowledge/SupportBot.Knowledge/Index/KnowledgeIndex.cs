using Lucene.Net.Analysis;
using Lucene.Net.Analysis.En;
using Lucene.Net.Analysis.TokenAttributes;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;
using Lucene.Net.Store;
using Lucene.Net.Util;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SupportBot.Knowledge.Articles;
using SupportBot.Knowledge.Ingestion;
using SupportBot.Knowledge.Search;
using LuceneDirectory = Lucene.Net.Store.Directory;

namespace SupportBot.Knowledge.Index;

/// <summary>
/// The on-disk Lucene.Net index of knowledge chunks (BM25). Opened lazily; built from
/// <see cref="KnowledgeOptions.Sources"/> on first use when the folder holds no index. Searches go
/// through a <see cref="SearcherManager"/>, so a new commit (from this process or an <c>ingest</c>
/// run) becomes visible on the next refresh without a restart.
/// </summary>
public sealed partial class KnowledgeIndex : IDisposable
{
    internal static readonly LuceneVersion Version = LuceneVersion.LUCENE_48;

    // Norms are encoded the same for every BM25 k1/b, so the index is written with the defaults and
    // searched with the configured values (Knowledge:Search:K1, :B).
    internal static readonly Similarity Similarity = new BM25Similarity(0.9f, 0.4f);

    private readonly KnowledgeOptions _options;
    private readonly ILogger<KnowledgeIndex> _logger;
    private readonly System.Threading.Lock _gate = new();
    private LuceneDirectory? _directory;
    private SearcherManager? _searchers;
    private Task? _opening;

    private readonly Similarity _searchSimilarity;

    public KnowledgeIndex(IOptions<KnowledgeOptions> options, ILogger<KnowledgeIndex> logger, IOptions<KnowledgeSearchOptions>? search = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _logger = logger;
        var ranking = search?.Value ?? new KnowledgeSearchOptions();
        _searchSimilarity = new BM25Similarity((float)ranking.K1, (float)ranking.B);
    }

    /// <summary>The analyzer used for indexing and querying: English stemming and (question) stop words.</summary>
    public static Analyzer Analyzer { get; } = new EnglishAnalyzer(Version, StopWords.Set);

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
                _opening = Task.Run(() => OpenOrReport(cancellationToken), cancellationToken);
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

    /// <summary>Picks up commits made since the searcher was opened (e.g. by <c>supportbot ingest</c>).</summary>
    public void Refresh() => _searchers?.MaybeRefresh();

    /// <summary>
    /// Adds or replaces articles (all chunks of an article are replaced together) and commits. Does not
    /// build the index from the configured sources first: an empty index receives only these articles.
    /// Returns the number of passages written.
    /// </summary>
    public Task<int> UpsertAsync(IEnumerable<Article> articles, CancellationToken cancellationToken) =>
        Task.Run(
            () =>
            {
                var path = _options.ResolvedIndexPath;
                System.IO.Directory.CreateDirectory(path);
                using var directory = FSDirectory.Open(new DirectoryInfo(path));
                var chunks = Write(directory, articles, cancellationToken);
                if (_searchers is { } searchers)
                {
                    searchers.MaybeRefreshBlocking();
                    Problem = null;
                }

                return chunks;
            },
            cancellationToken);

    /// <summary>
    /// Brings the index in line with <paramref name="paths"/> (files and folders): new and changed files
    /// are (re)indexed, unchanged ones skipped by content hash, files gone from an ingested folder removed;
    /// one commit at the end. A running host picks the commit up on its next refresh.
    /// </summary>
    public Task<IngestSummary> IngestAsync(IReadOnlyList<string> paths, IIngestObserver observer, CancellationToken cancellationToken) =>
        Task.Run(
            () =>
            {
                var path = _options.ResolvedIndexPath;
                System.IO.Directory.CreateDirectory(path);
                using var directory = FSDirectory.Open(new DirectoryInfo(path));
                var summary = KnowledgeIngestor.Run(directory, paths, observer, cancellationToken);
                if (_searchers is { } searchers)
                {
                    searchers.MaybeRefreshBlocking();
                    Problem = null;
                }

                return summary;
            },
            cancellationToken);

    /// <summary>Opens the index; a failure becomes the readiness problem instead of a stale "building".</summary>
    private void OpenOrReport(CancellationToken cancellationToken)
    {
        try
        {
            Open(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Problem = $"knowledge index could not be opened ({ex.GetType().Name}); see the log";
            throw;
        }
    }

    private void Open(CancellationToken cancellationToken)
    {
        var path = _options.ResolvedIndexPath;
        System.IO.Directory.CreateDirectory(path);
        var directory = FSDirectory.Open(new DirectoryInfo(path));
        if (!DirectoryReader.IndexExists(directory))
        {
            Problem = "knowledge index: building";
            BuildOrWaitForBuilder(directory, cancellationToken);
        }

        _searchers = new SearcherManager(directory, new BM25SearcherFactory(_searchSimilarity));
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

    private void BuildOrWaitForBuilder(LuceneDirectory directory, CancellationToken cancellationToken)
    {
        try
        {
            var sources = _options.ResolvedSources;
            var names = string.Join(", ", sources);
            LogBuilding(_logger, names);
            var summary = KnowledgeIngestor.Run(directory, sources, new LoggingObserver(_logger), cancellationToken);
            LogBuilt(_logger, summary.Added, summary.Chunks);
        }
        catch (LockObtainFailedException)
        {
            // Another process (a second replica) is building the same folder: use its result once it
            // has committed and let go of the lock (its first commit can be seen half written before that).
            var deadline = DateTime.UtcNow.AddMinutes(2);
            while (!DirectoryReader.IndexExists(directory) || IndexWriter.IsLocked(directory))
            {
                if (DateTime.UtcNow > deadline)
                {
                    throw;
                }

                Thread.Sleep(200);
                cancellationToken.ThrowIfCancellationRequested();
            }
        }
    }

    private static int Write(LuceneDirectory directory, IEnumerable<Article> articles, CancellationToken cancellationToken)
    {
        var config = new IndexWriterConfig(Version, Analyzer) { OpenMode = OpenMode.CREATE_OR_APPEND, Similarity = Similarity };
        var writer = new IndexWriter(directory, config);
        try
        {
            var chunkCount = 0;
            foreach (var article in articles)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var chunks = ArticleChunker.Split(article);
                writer.UpdateDocuments(new Term(IndexFields.Article, article.Id), chunks.Select(c => ToDocument(c, file: null, hash: null)));
                chunkCount += chunks.Count;
            }

            writer.Commit();
            writer.Dispose();
            return chunkCount;
        }
        catch
        {
            writer.Rollback(); // Dispose would commit the half-written batch.
            throw;
        }
    }

    internal static Document ToDocument(Chunk chunk, string? file, string? hash)
    {
        var document = new Document
        {
            new StringField(IndexFields.Id, chunk.Id, Field.Store.YES),
            new StringField(IndexFields.Article, chunk.ArticleId, Field.Store.YES),
            new TextField(IndexFields.Title, chunk.Title, Field.Store.YES),
            new StringField(IndexFields.Product, chunk.Product, Field.Store.YES),
            new StoredField(IndexFields.Url, chunk.Url),
            new StoredField(IndexFields.Source, chunk.Source),
            new StoredField(IndexFields.Body, chunk.Text),
            new TextField(IndexFields.Text, $"{chunk.Title}\n{chunk.Section}\n{chunk.Text}", Field.Store.NO),
            new NumericDocValuesField(IndexFields.Lead, chunk.Section is null ? 1 : 0),
        };
        if (chunk.Section is not null)
        {
            document.Add(new TextField(IndexFields.Section, chunk.Section, Field.Store.YES));
        }

        if (file is not null && hash is not null)
        {
            document.Add(new StringField(IndexFields.File, file, Field.Store.YES));
            document.Add(new StringField(IndexFields.FileHash, $"{file}\n{hash}", Field.Store.NO));
        }

        return document;
    }

    /// <summary>The analyzed terms of <paramref name="text"/> (stemmed, stop words removed), in order.</summary>
    public static List<string> Terms(string text)
    {
        var terms = new List<string>();
        using var stream = Analyzer.GetTokenStream(IndexFields.Text, text);
        var term = stream.AddAttribute<ICharTermAttribute>();
        stream.Reset();
        while (stream.IncrementToken())
        {
            terms.Add(term.ToString());
        }

        stream.End();
        return terms;
    }

    public void Dispose()
    {
        _searchers?.Dispose();
        _directory?.Dispose();
    }

    private sealed class BM25SearcherFactory(Similarity similarity) : SearcherFactory
    {
        public override IndexSearcher NewSearcher(IndexReader reader) => new(reader) { Similarity = similarity };
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Knowledge index is empty; building it from {Sources}")]
    private static partial void LogBuilding(ILogger logger, string sources);

    [LoggerMessage(Level = LogLevel.Information, Message = "Knowledge index built: {Articles} articles, {Chunks} passages")]
    private static partial void LogBuilt(ILogger logger, int articles, int chunks);

    [LoggerMessage(Level = LogLevel.Information, Message = "Knowledge index opened at {Path} with {Count} passages")]
    private static partial void LogOpened(ILogger logger, string path, int count);

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
