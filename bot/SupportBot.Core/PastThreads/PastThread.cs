using System.Collections.Concurrent;

namespace SupportBot.Core.PastThreads;

/// <summary>How a thread came to be kept as knowledge.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<PastThreadKind>))]
public enum PastThreadKind
{
    /// <summary>A resolved escalation: the problem, the team's outcome and its notes.</summary>
    Escalation,

    /// <summary>A chat thread an agent saved ("Save thread to knowledge").</summary>
    Saved,
}

/// <summary>
/// A past thread kept as knowledge (masked before it is kept): searched beside the articles, weighted below them and
/// always cited as a thread, with a link back to it.
/// </summary>
/// <param name="Id">Stable id: the escalation id (<c>ESC-1001</c>) or <c>thread:{surface}:{channel}:{thread}</c>.</param>
/// <param name="Title">What it was about (the problem's first line).</param>
/// <param name="Text">The masked problem, outcome and notes.</param>
/// <param name="Team">The owning team (escalations) or the product area it was saved under; may be empty.</param>
/// <param name="Link">A link to the thread on its platform, when it has one.</param>
/// <param name="At">When it was resolved or saved.</param>
/// <param name="Kind">Resolved escalation or saved thread.</param>
/// <param name="CaseId">The support case it was about, when known (erasure by case removes it).</param>
public sealed record PastThread(string Id, string Title, string Text, string Team, string? Link, DateTimeOffset At, PastThreadKind Kind, string? CaseId = null)
{
    public const int MaxText = 20_000;

    /// <summary>The <see cref="Answering.SearchHit.Source"/> of every past thread's passages in the knowledge index.</summary>
    public const string SourceName = "past-threads";
}

/// <summary>Settings of <c>Knowledge:PastThreads</c>.</summary>
public sealed class PastThreadsOptions
{
    public const string Section = "Knowledge:PastThreads";

    /// <summary>Keep resolved escalations and saved threads as knowledge; off: neither kept nor searched.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How long a past thread is kept (and searchable); older ones are dropped.</summary>
    [System.ComponentModel.DataAnnotations.Range(typeof(TimeSpan), "1.00:00:00", "3650.00:00:00")]
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(730);

    /// <summary>How often each replica brings newly kept threads into its knowledge index.</summary>
    [System.ComponentModel.DataAnnotations.Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan SyncInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A past thread's passages score this share of an article's with the same match: they weigh in below articles.</summary>
    [System.ComponentModel.DataAnnotations.Range(0.05, 1.0)]
    public double Weight { get; set; } = 0.8;
}

/// <summary>Past threads kept as knowledge, shared by every replica.</summary>
public interface IPastThreads
{
    /// <summary>Keeps <paramref name="thread"/> (replacing one with its id) and drops those older than the retention.</summary>
    Task SaveAsync(PastThread thread, CancellationToken cancellationToken);

    Task<PastThread?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>Every kept thread, newest first.</summary>
    Task<IReadOnlyList<PastThread>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Removes the threads <paramref name="match"/> picks (erasure); how many were removed.</summary>
    Task<int> RemoveWhereAsync(Func<PastThread, bool> match, CancellationToken cancellationToken);
}

/// <summary>The embedded default: past threads in this process.</summary>
internal sealed class InMemoryPastThreads(Microsoft.Extensions.Options.IOptions<PastThreadsOptions> options, TimeProvider time) : IPastThreads
{
    private readonly ConcurrentDictionary<string, PastThread> _threads = new(StringComparer.OrdinalIgnoreCase);

    public Task SaveAsync(PastThread thread, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(thread);
        _threads[thread.Id] = thread;
        var oldest = time.GetUtcNow() - options.Value.Retention;
        foreach (var old in _threads.Values.Where(t => t.At < oldest))
        {
            _threads.TryRemove(old.Id, out _);
        }

        return Task.CompletedTask;
    }

    public Task<PastThread?> GetAsync(string id, CancellationToken cancellationToken) => Task.FromResult(_threads.GetValueOrDefault(id));

    public Task<IReadOnlyList<PastThread>> ListAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<PastThread>>([.. _threads.Values.OrderByDescending(t => t.At)]);

    public Task<int> RemoveWhereAsync(Func<PastThread, bool> match, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(match);
        var removed = 0;
        foreach (var thread in _threads.Values.Where(match))
        {
            removed += _threads.TryRemove(thread.Id, out _) ? 1 : 0;
        }

        return Task.FromResult(removed);
    }
}
