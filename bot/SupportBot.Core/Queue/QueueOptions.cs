using System.ComponentModel.DataAnnotations;

namespace SupportBot.Core.Queue;

/// <summary>Settings of the <c>Queue</c> section.</summary>
public sealed class QueueOptions
{
    public const string Section = "Queue";

    /// <summary>Messages handled at once by this process.</summary>
    [Range(1, 256)]
    public int Concurrency { get; set; } = 8;

    /// <summary>
    /// How long a message may stay leased before another worker takes it over (a worker that died
    /// mid-message). Longer than the slowest answer, so live workers are not overtaken.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan LeaseTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// How many acknowledged messages may wait (queued or being answered) before new deliveries are refused with
    /// 503, so the platform retries them later instead of the queue dropping what it acknowledged.
    /// </summary>
    [Range(1, 10_000_000)]
    public int MaxBacklog { get; set; } = 50_000;

    /// <summary>How long a delivery id is remembered to refuse duplicates (platform retries).</summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00")]
    public TimeSpan DedupeWindow { get; set; } = TimeSpan.FromHours(24);
}
