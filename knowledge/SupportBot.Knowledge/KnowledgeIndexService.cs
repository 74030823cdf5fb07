using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SupportBot.Knowledge.Index;

namespace SupportBot.Knowledge;

/// <summary>
/// Opens (and if needed builds) the index in the background when the host starts, then looks for
/// new commits every few seconds so an <c>ingest</c> run shows up without a restart.
/// </summary>
internal sealed partial class KnowledgeIndexService(KnowledgeIndex index, TimeProvider time, ILogger<KnowledgeIndexService> logger) : BackgroundService
{
    private static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            // Another replica's first commit can be caught half written (the open fails reading it): try again
            // shortly, when it is whole, instead of staying unready until a restart.
            while (true)
            {
                try
                {
                    await index.EnsureOpenAsync(stoppingToken);
                    break;
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogFailed(logger, ex, index.Path);
                    await Task.Delay(RefreshInterval, time, stoppingToken);
                }
            }

            using var timer = new PeriodicTimer(RefreshInterval, time);
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                index.Refresh();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            LogRefreshStopped(logger, ex, index.Path);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The knowledge index at {Path} could not be opened; trying again")]
    private static partial void LogFailed(ILogger logger, Exception exception, string path);

    [LoggerMessage(Level = LogLevel.Error, Message = "Looking for new commits of the knowledge index at {Path} stopped")]
    private static partial void LogRefreshStopped(ILogger logger, Exception exception, string path);
}
