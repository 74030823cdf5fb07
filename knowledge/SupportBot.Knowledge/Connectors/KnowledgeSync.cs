using Microsoft.Extensions.Options;
using SupportBot.Knowledge.Index;
using SupportBot.Knowledge.Ingestion;

namespace SupportBot.Knowledge.Connectors;

/// <summary>A source name that is not configured, or a source whose settings are wrong; the message names the setting.</summary>
public sealed class SourceConfigurationException(string message) : Exception(message);

/// <summary>
/// Runs one configured source's sync: reads its listing page by page through its connector, writes each page into the
/// index in a commit of its own and then saves the cursor, so an interrupted run resumes after the last page it wrote.
/// A full run (the first, an interrupted full one, or once <c>FullSyncEvery</c> has passed; every crawl) ends by removing
/// the source's articles it did not see; an incremental run reads only what changed since the last one's high-water mark.
/// The caller holds the source's run lock.
/// </summary>
public sealed class KnowledgeSync(IOptions<KnowledgeOptions> options, KnowledgeIndex index, IHttpClientFactory clients, TimeProvider time)
{
    public KnowledgeOptions Options => options.Value;

    /// <summary>The run lock a source's sync holds (<see cref="SupportBot.Core.State.IRunLock"/>): one replica or command at a time.</summary>
    public static string LockName(string source) => $"knowledge-sync:{source.ToLowerInvariant()}";

    /// <summary>The source's settings, or the reason it cannot run (unknown name, bad settings), naming the key.</summary>
    public ConnectorOptions Resolve(string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (!options.Value.Connectors.TryGetValue(source, out var connector))
        {
            var known = options.Value.Connectors.Keys.Order(StringComparer.Ordinal).ToList();
            throw new SourceConfigurationException(
                $"{KnowledgeOptions.Section}:Connectors:{source}: no such source" +
                (known.Count == 0 ? " (none is configured)" : $"; configured: {string.Join(", ", known)}"));
        }

        var problems = ConnectorOptionsValidator.Check(source, connector).ToList();
        return problems.Count == 0 ? connector : throw new SourceConfigurationException(string.Join(Environment.NewLine, problems));
    }

    /// <summary>When the source is next due (its last completed sync plus <c>Every</c>); null when it runs on demand only.</summary>
    public DateTimeOffset? NextDue(string source)
    {
        var connector = options.Value.Connectors[source];
        if (connector.Every is not { } every)
        {
            return null;
        }

        var cursor = SyncCursorFile.Load(index.Path, source);
        return cursor.Run is not null || cursor.LastSync is null ? DateTimeOffset.MinValue : cursor.LastSync.Value + every;
    }

    public async Task<SyncSummary> RunAsync(string source, ISyncObserver observer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(observer);
        var settings = Resolve(source);
        var name = options.Value.Connectors.Keys.First(k => string.Equals(k, source, StringComparison.OrdinalIgnoreCase));
        var connector = Create(settings, observer);
        var cursor = SyncCursorFile.Load(index.Path, name);
        var now = time.GetUtcNow();
        var resumed = cursor.Run is not null;
        var run = cursor.Run ?? new SyncRun
        {
            Full = connector.AlwaysFull || cursor.Since is null || cursor.LastFull is null || now - cursor.LastFull.Value >= settings.FullSyncEvery,
            Started = now,
        };

        var writer = new SourceWriter(index.Path, name, index.Embedder, observer.Problem, index.Languages);
        var indexed = await Task.Run(writer.Indexed, cancellationToken);
        var known = indexed.Keys.ToHashSet(StringComparer.Ordinal);
        var seen = new HashSet<string>(run.Seen, StringComparer.Ordinal);
        var summary = SyncSummary.Empty(name, run.Full, resumed);
        observer.Started(name, run.Full, resumed);
        var changed = false;

        var request = new SyncRequest(run.Full, run.Full ? null : cursor.Since, run.Resume, known, cursor.LastSync);
        await foreach (var batch in connector.ReadAsync(request, cancellationToken))
        {
            var (added, updated, unchanged, removed) = await writer.WriteAsync(batch.Articles, batch.Gone, indexed, observer, compact: false, cancellationToken);
            changed |= added + updated + removed > 0;
            summary = summary with
            {
                Read = summary.Read + batch.Articles.Count + batch.Kept.Count + batch.Gone.Count,
                Added = summary.Added + added,
                Updated = summary.Updated + updated,
                Unchanged = summary.Unchanged + unchanged + batch.Kept.Count,
                Removed = summary.Removed + removed,
            };
            if (run.Full)
            {
                seen.UnionWith(batch.Articles.Select(a => a.Key));
                seen.UnionWith(batch.Kept);
            }

            run = run with
            {
                Resume = batch.Resume,
                HighWater = Later(run.HighWater, batch.HighWater),
                Truncated = run.Truncated || batch.Truncated,
                Seen = run.Full ? [.. seen] : [],
            };
            cursor = cursor with { Run = run };
            SyncCursorFile.Save(index.Path, name, cursor);
            observer.Progress(summary);
        }

        // A full listing shows everything there is: what it did not show is gone. Not when it stopped short, nor when it
        // showed nothing at all while the index holds articles (a wrong space or a revoked permission looks the same).
        var missing = run.Full ? indexed.Keys.Where(k => !seen.Contains(k)).ToList() : [];
        if (missing.Count > 0 && (run.Truncated || seen.Count == 0))
        {
            observer.Problem(name, run.Truncated
                ? $"the listing stopped short: {missing.Count} articles not seen are kept"
                : $"the source listed nothing: its {missing.Count} indexed articles are kept (check the settings and permissions)");
            missing = [];
        }

        var last = await writer.WriteAsync([], missing, indexed, observer, compact: changed || missing.Count > 0, cancellationToken);
        summary = summary with { Removed = summary.Removed + last.Removed };
        SyncCursorFile.Save(index.Path, name, new SyncCursor
        {
            Since = run.HighWater ?? cursor.Since ?? (run.Full ? run.Started : null),
            LastFull = run.Full ? run.Started : cursor.LastFull,
            LastSync = run.Started,
            LastEnded = time.GetUtcNow(),
        });
        index.Refresh();
        observer.Progress(summary);
        return summary;
    }

    private IKnowledgeConnector Create(ConnectorOptions settings, ISyncObserver observer)
    {
        var client = clients.CreateClient(ConnectorHttp.HttpClientName);
        switch (settings.Type!.Trim().ToLowerInvariant())
        {
            case ConnectorOptions.Zendesk:
                var zendesk = new Uri(settings.BaseUrl!);
                return new ZendeskConnector(settings, new ConnectorHttp(client, time, observer, ConnectorHttp.Basic($"{settings.Email}/token", settings.ApiToken!), zendesk));
            case ConnectorOptions.Confluence:
                var confluence = new Uri(settings.BaseUrl!);
                return new ConfluenceConnector(settings, new ConnectorHttp(client, time, observer, ConnectorHttp.Basic(settings.Email!, settings.ApiToken!), confluence));
            default:
                return new DocsCrawler(settings, new ConnectorHttp(client, time, observer, authorization: null, authorizedHost: null, userAgent: $"{settings.UserAgent.Trim()}/1.0"), observer);
        }
    }

    private static DateTimeOffset? Later(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a > b ? a : b;
}
