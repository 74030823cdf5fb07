using Microsoft.Extensions.Logging;
using SupportBot.Core.Audit;

namespace SupportBot.Core.Curation;

/// <summary>
/// Curation as retrieval reads it and ops leads change it. Retrieval runs on every question, so it reads
/// a snapshot of the store that is at most <see cref="RefreshAfter"/> old: one read per replica every few
/// seconds, not one per question; a change made on this replica applies here at once, on the others
/// within <see cref="RefreshAfter"/>. If the store cannot be read, the last snapshot stays in use.
/// </summary>
public sealed partial class CurationService(ICurationStore store, IAuditTrail audit, TimeProvider time, ILogger<CurationService> logger)
{
    /// <summary>How old a snapshot may get before the next search reads the store again.</summary>
    public static readonly TimeSpan RefreshAfter = TimeSpan.FromSeconds(5);

    private static readonly IReadOnlyDictionary<string, ArticleCuration> Empty = new Dictionary<string, ArticleCuration>(StringComparer.Ordinal);

    private int _refreshing;
    private volatile Snapshot? _snapshot;

    /// <summary>Every curated article by id: cached, refreshed when older than <see cref="RefreshAfter"/>.</summary>
    public async ValueTask<IReadOnlyDictionary<string, ArticleCuration>> CurrentAsync(CancellationToken cancellationToken)
    {
        var snapshot = _snapshot;
        if (snapshot is not null && time.GetElapsedTime(snapshot.Taken) < RefreshAfter)
        {
            return snapshot.Entries;
        }

        // One refresh at a time; while it runs, other searches go on with the snapshot they have.
        if (snapshot is not null && Interlocked.CompareExchange(ref _refreshing, 1, 0) != 0)
        {
            return snapshot.Entries;
        }

        try
        {
            return await ReloadAsync(cancellationToken);
        }
        finally
        {
            if (snapshot is not null)
            {
                Volatile.Write(ref _refreshing, 0);
            }
        }
    }

    /// <summary>Sets an article's state, records who did it in the audit trail, and applies it on this replica at once.</summary>
    public async Task SetAsync(string articleId, CurationState state, CurationActor actor, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(articleId);
        ArgumentNullException.ThrowIfNull(actor);
        var now = time.GetUtcNow();
        await store.SetAsync(new ArticleCuration(articleId, state, actor.ToString(), now), cancellationToken);
        await audit.RecordAsync(
            new AuditEntry(now, Action(state), actor.Surface, actor.Tenant ?? string.Empty, actor.UserId, actor.UserName, articleId, actor.Where, "done"),
            cancellationToken);
        await ReloadAsync(cancellationToken);
    }

    /// <summary>The audit action of a change: <c>curation.hide</c>, <c>curation.boost</c>, <c>curation.reset</c>.</summary>
    public static string Action(CurationState state) => state switch
    {
        CurationState.Hidden => "curation.hide",
        CurationState.Boosted => "curation.boost",
        _ => "curation.reset",
    };

    private async Task<IReadOnlyDictionary<string, ArticleCuration>> ReloadAsync(CancellationToken cancellationToken)
    {
        var taken = time.GetTimestamp();
        try
        {
            var entries = await store.ReadAllAsync(cancellationToken);
            _snapshot = new Snapshot(entries, taken);
            return entries;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Searches go on with what was known; the next search after RefreshAfter tries again.
            LogUnreadable(logger, ex.GetType().Name);
            var kept = _snapshot?.Entries ?? Empty;
            _snapshot = new Snapshot(kept, taken);
            return kept;
        }
    }

    private sealed record Snapshot(IReadOnlyDictionary<string, ArticleCuration> Entries, long Taken);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Article curation could not be read ({Error}); searches use the last known curation")]
    private static partial void LogUnreadable(ILogger logger, string error);
}

/// <summary>Who changes a curation, and from where, as the audit trail records it.</summary>
/// <param name="Surface"><c>web</c>, <c>slack</c>, <c>teams</c>.</param>
/// <param name="Tenant">The workspace or tenant, when known.</param>
/// <param name="UserId">The person's id on that surface.</param>
/// <param name="UserName">A display name.</param>
/// <param name="Where">Where it was done (<c>dashboard</c>, or the conversation).</param>
public sealed record CurationActor(string Surface, string? Tenant, string UserId, string UserName, string Where)
{
    public override string ToString() => $"{UserName} ({UserId})";
}
