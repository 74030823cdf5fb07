using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SupportBot.Knowledge.Articles;
using SupportBot.Knowledge.Index;

namespace SupportBot.Knowledge.Shared;

/// <summary>
/// Keeps one source of the index in line with articles every replica shares through the bot's store (Redis or, embedded,
/// this process): past threads, approved draft articles. Every <see cref="Interval"/>, new and changed articles are
/// written and dropped ones removed (<see cref="KnowledgeIndex.SyncSourceAsync"/>); a round that finds the set last
/// written leaves the index and its write lock alone. Each replica brings its own index up to date, so no replica waits
/// for another and a restart writes only what changed (fingerprints are kept in the index).
/// </summary>
internal abstract partial class SharedSourceIndexer(KnowledgeIndex index, TimeProvider time, ILogger logger) : BackgroundService
{
    /// <summary>The set (ids and fingerprints) this replica last brought into its index.</summary>
    private string? _lastWritten;

    /// <summary>The source name the articles are indexed under (what a channel's <c>sources</c> setting names).</summary>
    protected abstract string Source { get; }

    /// <summary>Whether this source is kept in the index at all.</summary>
    protected abstract bool Enabled { get; }

    /// <summary>How often each replica looks for changes.</summary>
    protected abstract TimeSpan Interval { get; }

    /// <summary>The source's articles as they should be in the index, each with a fingerprint of what it indexes.</summary>
    protected abstract Task<IReadOnlyList<(Article Article, string Fingerprint)>> ListAsync(CancellationToken cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Enabled)
        {
            return;
        }

        try
        {
            using var timer = new PeriodicTimer(Interval, time);
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
                    LogSyncFailed(logger, Source, ex.GetType().Name);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>One round: the source's articles written into the index where they changed; how many were written and removed.</summary>
    public async Task<(int Written, int Removed)> SyncAsync(CancellationToken cancellationToken)
    {
        var articles = await ListAsync(cancellationToken);

        // Most rounds find nothing new: leave the index (and its write lock) alone when the set is the one last written.
        var signature = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', articles.Select(a => $"{a.Article.Id} {a.Fingerprint}")))));
        if (signature == _lastWritten)
        {
            return (0, 0);
        }

        // Nothing to keep and nothing kept (most replicas at start): no writer, so starting replicas do not queue for the write lock.
        if (articles.Count == 0 && !await index.HoldsSourceAsync(Source, cancellationToken))
        {
            _lastWritten = signature;
            return (0, 0);
        }

        var result = await index.SyncSourceAsync(Source, articles, cancellationToken);
        _lastWritten = signature;
        if (result.Written + result.Removed > 0)
        {
            LogSynced(logger, Source, result.Written, result.Removed);
        }

        return result;
    }

    /// <summary>A fingerprint of <paramref name="parts"/> under the index's analysis version (a new version writes everything again).</summary>
    protected static string Fingerprint(params ReadOnlySpan<string?> parts)
    {
        var text = new StringBuilder(KnowledgeIndex.AnalysisVersion);
        foreach (var part in parts)
        {
            text.Append('\n').Append(part);
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Knowledge index source {Source}: {Written} written, {Removed} removed")]
    private static partial void LogSynced(ILogger logger, string source, int written, int removed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Knowledge index source {Source} could not be brought up to date ({Error}); the next round tries again")]
    private static partial void LogSyncFailed(ILogger logger, string source, string error);
}
