using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SupportBot.Core.PastThreads;
using SupportBot.Knowledge.Articles;
using SupportBot.Knowledge.Index;
using SupportBot.Knowledge.Shared;

namespace SupportBot.Knowledge.PastThreads;

/// <summary>
/// Keeps the index's past threads (source <see cref="PastThread.SourceName"/>) in line with the kept ones
/// (<see cref="IPastThreads"/>): every <c>Knowledge:PastThreads:SyncInterval</c>, new and changed threads are written,
/// dropped ones removed. A past thread is an article of its own: its title says it is a past thread, its product area
/// is the team, its link goes back to the thread, and its text is plain (masked when it was kept).
/// </summary>
internal sealed class PastThreadsIndexer(
    KnowledgeIndex index,
    IPastThreads threads,
    IOptions<PastThreadsOptions> options,
    TimeProvider time,
    ILogger<PastThreadsIndexer> logger) : SharedSourceIndexer(index, time, logger)
{
    /// <summary>The prefix of a past thread's article id in the index.</summary>
    public const string ArticlePrefix = "past:";

    /// <summary>What a past thread's title starts with, so every citation of one says it is a thread.</summary>
    public const string TitlePrefix = "Past thread: ";

    protected override string Source => PastThread.SourceName;

    protected override bool Enabled => options.Value.Enabled;

    protected override TimeSpan Interval => options.Value.SyncInterval;

    protected override async Task<IReadOnlyList<(Article Article, string Fingerprint)>> ListAsync(CancellationToken cancellationToken) =>
        [.. (await threads.ListAsync(cancellationToken)).Select(t => (ToArticle(t), Fingerprint(t.Title, t.Team, t.Link, t.Text)))];

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
}
