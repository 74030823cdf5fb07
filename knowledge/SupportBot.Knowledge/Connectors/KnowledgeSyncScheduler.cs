using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SupportBot.Core.State;
using SupportBot.Knowledge.Index;
using SupportBot.Knowledge.Ingestion;

namespace SupportBot.Knowledge.Connectors;

/// <summary>
/// Syncs each source whose <c>Every</c> has passed since its last completed sync (read from its cursor file, which every
/// replica sharing the index folder sees). A sync runs only under the source's run lock (<c>knowledge-sync:NAME</c>;
/// in Redis when configured), so one replica at a time does it; the others see the new commits on their next index
/// refresh. A failed sync is tried again after a pause, never in a tight loop.
/// </summary>
internal sealed partial class KnowledgeSyncScheduler(
    KnowledgeSync sync,
    KnowledgeIndex index,
    IRunLock locks,
    IOptions<KnowledgeOptions> options,
    TimeProvider time,
    ILogger<KnowledgeSyncScheduler> logger) : BackgroundService
{
    private static readonly TimeSpan MaxTick = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan MaxPauseAfterFailure = TimeSpan.FromMinutes(5);

    private readonly Dictionary<string, DateTimeOffset> _failedUntil = new(StringComparer.OrdinalIgnoreCase);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var scheduled = options.Value.Connectors.Where(c => c.Value.Every is not null).ToList();
        if (scheduled.Count == 0)
        {
            return;
        }

        var shortest = scheduled.Min(c => c.Value.Every!.Value);
        var tick = TimeSpan.FromTicks(Math.Clamp(shortest.Ticks / 4, TimeSpan.FromSeconds(1).Ticks, MaxTick.Ticks));
        try
        {
            using var timer = new PeriodicTimer(tick, time);
            do
            {
                if (!await IsOpenAsync(stoppingToken))
                {
                    continue; // another replica's first commit caught half written: the next tick tries again
                }

                foreach (var (source, _) in scheduled)
                {
                    await RunIfDueAsync(source, stoppingToken);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task<bool> IsOpenAsync(CancellationToken stoppingToken)
    {
        try
        {
            await index.EnsureOpenAsync(stoppingToken);
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogNotOpen(logger, ex.GetType().Name);
            return false;
        }
    }

    private async Task RunIfDueAsync(string source, CancellationToken stoppingToken)
    {
        var now = time.GetUtcNow();
        if ((_failedUntil.TryGetValue(source, out var until) && now < until) || !(sync.NextDue(source) <= now))
        {
            return;
        }

        try
        {
            await using var lease = await locks.TryAcquireAsync(KnowledgeSync.LockName(source), stoppingToken);
            if (lease is null || !(sync.NextDue(source) <= time.GetUtcNow()))
            {
                return; // Another replica runs it, or has just done so.
            }

            using var linked = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, lease.Lost);
            var summary = await sync.RunAsync(source, new LoggingObserver(logger), linked.Token);
            _failedUntil.Remove(source);
            LogSynced(logger, source, summary.Full ? "full" : "incremental", summary.Added, summary.Updated, summary.Removed, summary.Unchanged);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            var every = options.Value.Connectors[source].Every ?? MaxPauseAfterFailure;
            _failedUntil[source] = time.GetUtcNow() + (every < MaxPauseAfterFailure ? every : MaxPauseAfterFailure);
            // A connector's message names the request and status, never a credential; other exceptions by type only.
            LogFailed(logger, source, ex is ConnectorException or SourceConfigurationException ? ex.Message : ex.GetType().Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Knowledge source {Source} synced ({Kind}): {Added} added, {Updated} updated, {Removed} removed, {Unchanged} unchanged")]
    private static partial void LogSynced(ILogger logger, string source, string kind, int added, int updated, int removed, int unchanged);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Knowledge source {Source} could not be synced: {Reason}; it resumes from its cursor next time")]
    private static partial void LogFailed(ILogger logger, string source, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Knowledge source {Source}: waiting {Delay} ({Reason})")]
    private static partial void LogWaiting(ILogger logger, string source, TimeSpan delay, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Knowledge source: {Location}: {Reason}")]
    private static partial void LogProblem(ILogger logger, string location, string reason);

    private sealed class LoggingObserver(ILogger logger) : ISyncObserver
    {
        private string _source = string.Empty;

        public void Started(string source, bool full, bool resumed) => _source = source;

        public void Progress(SyncSummary sofar)
        {
        }

        public void ArticleDone(string id, IngestOutcome outcome, string? detail)
        {
        }

        public void Waiting(TimeSpan delay, string reason)
        {
            if (delay >= TimeSpan.FromSeconds(5))
            {
                LogWaiting(logger, _source, delay, reason);
            }
        }

        public void Problem(string location, string reason) => LogProblem(logger, location, reason);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Knowledge sync waits: the index could not be opened ({Error}); trying again at the next tick")]
    private static partial void LogNotOpen(ILogger logger, string error);
}
