using SupportBot.Knowledge.Ingestion;

namespace SupportBot.Knowledge.Connectors;

/// <summary>Hears about a source's sync as it goes (the CLI's progress display, the host's log).</summary>
public interface ISyncObserver
{
    void Started(string source, bool full, bool resumed);

    /// <summary>A page of the listing was read and written: the running totals.</summary>
    void Progress(SyncSummary sofar);

    void ArticleDone(string id, IngestOutcome outcome, string? detail);

    /// <summary>The source asked us to slow down (429 and Retry-After), or a polite pause.</summary>
    void Waiting(TimeSpan delay, string reason);

    void Problem(string location, string reason);
}

/// <summary>What a sync did.</summary>
public sealed record SyncSummary(string Source, bool Full, bool Resumed, int Read, int Added, int Updated, int Unchanged, int Removed, int Failed)
{
    public static SyncSummary Empty(string source, bool full, bool resumed) => new(source, full, resumed, 0, 0, 0, 0, 0, 0);
}

/// <summary>An observer that hears nothing.</summary>
public sealed class NullSyncObserver : ISyncObserver
{
    public static readonly NullSyncObserver Instance = new();

    public void Started(string source, bool full, bool resumed)
    {
    }

    public void Progress(SyncSummary sofar)
    {
    }

    public void ArticleDone(string id, IngestOutcome outcome, string? detail)
    {
    }

    public void Waiting(TimeSpan delay, string reason)
    {
    }

    public void Problem(string location, string reason)
    {
    }
}
