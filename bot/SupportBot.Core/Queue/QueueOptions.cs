using System.ComponentModel.DataAnnotations;

namespace SupportBot.Core.Queue;

/// <summary>Settings of the <c>Queue</c> section.</summary>
public sealed class QueueOptions
{
    public const string Section = "Queue";

    /// <summary>
    /// Messages handled at once by this process. An answer mostly waits on the platform's Web API and the model,
    /// so this is sized for I/O, not for cores: 64 slots keep up with 100 questions/s at a 50 ms round trip.
    /// </summary>
    [Range(1, 1024)]
    public int Concurrency { get; set; } = 64;

    /// <summary>
    /// How long a message may go without its worker renewing the lease before another replica takes it over
    /// (a worker that died mid-message). Workers renew every quarter of it while they work, so a slow answer is
    /// never taken over; a dead replica's work is taken over within <see cref="LeaseTimeout"/> plus
    /// <see cref="ReclaimInterval"/> (25 s by default).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan LeaseTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>How often a worker renews what it holds, and looks for work a dead replica left: a quarter of the lease.</summary>
    public TimeSpan ReclaimInterval => LeaseTimeout / 4;

    /// <summary>
    /// The lifetime of a message's processing claim between renewals: three quarters of the lease, so a dead
    /// worker's claim has lapsed before its queue entry can be taken over.
    /// </summary>
    public TimeSpan ClaimLease => LeaseTimeout * 3 / 4;

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
