using Lucene.Net.Index;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SupportBot.Core.State;
using SupportBot.Knowledge;
using SupportBot.Knowledge.Connectors;
using SupportBot.Knowledge.Ingestion;
using SupportBot.Redis;

namespace SupportBot.IntegrationTests.Knowledge.Connectors;

/// <summary>
/// One replica's knowledge services, as the host composes them, on an index folder of the test's: the real sync,
/// index and (with Redis) run lock.
/// </summary>
internal sealed class SyncHarness : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    public SyncHarness(string indexPath, IDictionary<string, string?> settings, string? redis = null, string? prefix = null)
    {
        IndexPath = indexPath;
        var values = new Dictionary<string, string?>(settings) { ["Knowledge:IndexPath"] = indexPath };
        if (redis is not null)
        {
            values["Redis:Configuration"] = redis;
            values["Redis:KeyPrefix"] = prefix;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddSupportBotRedis(configuration);
        services.AddSupportBotKnowledge(configuration, background: false);
        _services = services.BuildServiceProvider();
    }

    public string IndexPath { get; }

    public KnowledgeSync Sync => _services.GetRequiredService<KnowledgeSync>();

    public IRunLock Locks => _services.GetRequiredService<IRunLock>();

    public Task<SyncSummary> RunAsync(string source, ISyncObserver? observer = null, CancellationToken cancellationToken = default) =>
        Sync.RunAsync(source, observer ?? new RecordingObserver(), cancellationToken);

    public SyncCursor Cursor(string source) => SyncCursorFile.Load(IndexPath, source);

    /// <summary>The index's articles by id, each with the stored fields of its first passage and all its text.</summary>
    public Dictionary<string, IndexedArticle> Articles()
    {
        var articles = new Dictionary<string, IndexedArticle>(StringComparer.Ordinal);
        using var directory = Lucene.Net.Store.FSDirectory.Open(IndexPath);
        if (!DirectoryReader.IndexExists(directory))
        {
            return articles;
        }

        using var reader = DirectoryReader.Open(directory);
        var live = MultiFields.GetLiveDocs(reader);
        for (var doc = 0; doc < reader.MaxDoc; doc++)
        {
            if (live is not null && !live.Get(doc))
            {
                continue;
            }

            var d = reader.Document(doc);
            var id = d.Get("article");
            articles[id] = articles.TryGetValue(id, out var known)
                ? known with { Text = known.Text + "\n" + d.Get("body") }
                : new IndexedArticle(id, d.Get("title"), d.Get("url"), d.Get("product"), d.Get("source"), d.Get("locale"), d.Get("updated"), d.Get("body"));
        }

        return articles;
    }

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}

internal sealed record IndexedArticle(string Id, string Title, string Url, string Product, string Source, string? Locale, string? Updated, string Text);

/// <summary>Keeps what a sync reported; can cancel the run after a number of pages (an interruption).</summary>
internal sealed class RecordingObserver(CancellationTokenSource? interrupt = null, int pagesBeforeInterrupt = int.MaxValue) : ISyncObserver
{
    private int _pages;

    public List<(string Id, IngestOutcome Outcome)> Done { get; } = [];

    public List<(TimeSpan Delay, string Reason)> Waits { get; } = [];

    public List<string> Problems { get; } = [];

    public void Started(string source, bool full, bool resumed)
    {
    }

    public void Progress(SyncSummary sofar)
    {
        if (++_pages >= pagesBeforeInterrupt)
        {
            interrupt?.Cancel();
        }
    }

    public void ArticleDone(string id, IngestOutcome outcome, string? detail) => Done.Add((id, outcome));

    public void Waiting(TimeSpan delay, string reason) => Waits.Add((delay, reason));

    public void Problem(string location, string reason) => Problems.Add($"{location}: {reason}");
}
