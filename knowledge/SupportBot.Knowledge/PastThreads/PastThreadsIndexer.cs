using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SupportBot.Core.PastThreads;
using SupportBot.Knowledge.Articles;
using SupportBot.Knowledge.Index;

namespace SupportBot.Knowledge.PastThreads;

/// <summary>
/// Keeps the index's past threads (source <see cref="PastThread.SourceName"/>) in line with the kept ones
/// (<see cref="IPastThreads"/>): every <c>Knowledge:PastThreads:SyncInterval</c>, new and changed threads are written,
/// dropped ones removed. A past thread is an article of its own: its title says it is a past thread, its product area
/// is the team, its link goes back to the thread, and its text is plain (masked when it was kept).
/// </summary>
internal sealed partial class PastThreadsIndexer(
    KnowledgeIndex index,
    IPastThreads threads,
    IOptions<PastThreadsOptions> options,
    TimeProvider time,
    ILogger<PastThreadsIndexer> logger) : BackgroundService
{
    /// <summary>The prefix of a past thread's article id in the index.</summary>
    public const string ArticlePrefix = "past:";

    /// <summary>What a past thread's title starts with, so every citation of one says it is a thread.</summary>
    public const string TitlePrefix = "Past thread: ";

    /// <summary>The kept set (ids and fingerprints) this replica last brought into its index.</summary>
    private string? _lastWritten;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }

        try
        {
            using var timer = new PeriodicTimer(options.Value.SyncInterval, time);
            do
            {
                try
                {
                    // Opened each round (a no-op once open): another replica's first commit can be caught half written,
                    // and a failed open must not stop the host; the next round tries again.
                    await index.EnsureOpenAsync(stoppingToken);
                    await SyncAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // The index not open yet, another writer holding it (an ingest, a connector), Redis away: the next round tries again.
                    LogSyncFailed(logger, ex.GetType().Name);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>One round: the kept threads written into the index where they changed; how many were written and removed.</summary>
    public async Task<(int Written, int Removed)> SyncAsync(CancellationToken cancellationToken)
    {
        var kept = await threads.ListAsync(cancellationToken);
        var articles = kept.Select(t => (ToArticle(t), Fingerprint(t))).ToList();

        // Most rounds find nothing new: leave the index (and its write lock) alone when the kept set is the one last written.
        var signature = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', articles.Select(a => $"{a.Item1.Id} {a.Item2}")))));
        if (signature == _lastWritten)
        {
            return (0, 0);
        }

        var result = await index.SyncSourceAsync(PastThread.SourceName, articles, cancellationToken);
        _lastWritten = signature;
        if (result.Written + result.Removed > 0)
        {
            LogSynced(logger, result.Written, result.Removed);
        }

        return result;
    }

    internal static Article ToArticle(PastThread thread) => new(
        ArticlePrefix + thread.Id,
        TitlePrefix + thread.Title,
        string.IsNullOrWhiteSpace(thread.Team) ? "general" : thread.Team,
        thread.Link ?? string.Empty,
        thread.At.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        PastThread.SourceName,
        thread.Text)
    {
        Format = ArticleFormat.PlainText,
    };

    private static string Fingerprint(PastThread thread) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{KnowledgeIndex.AnalysisVersion}\n{thread.Title}\n{thread.Team}\n{thread.Link}\n{thread.Text}")));

    [LoggerMessage(Level = LogLevel.Information, Message = "Past threads in the knowledge index: {Written} written, {Removed} removed")]
    private static partial void LogSynced(ILogger logger, int written, int removed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Past threads could not be brought into the knowledge index ({Error}); the next round tries again")]
    private static partial void LogSyncFailed(ILogger logger, string error);
}
