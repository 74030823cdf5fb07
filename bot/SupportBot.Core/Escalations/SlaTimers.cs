using System.Collections.Concurrent;

namespace SupportBot.Core.Escalations;

/// <summary>What an SLA timer does when it fires.</summary>
public enum SlaTimerKind
{
    /// <summary>Acknowledgement is due soon: remind the team.</summary>
    AcknowledgeReminder,

    /// <summary>Acknowledgement is overdue: note the breach in both threads.</summary>
    AcknowledgeBreach,
    ResolveReminder,
    ResolveBreach,
}

/// <summary>A timer of one escalation. <see cref="AssignedAt"/> tells a stale timer (from before a reassignment) apart.</summary>
public sealed record SlaTimer(string EscalationId, SlaTimerKind Kind, DateTimeOffset Due, DateTimeOffset AssignedAt)
{
    /// <summary>
    /// The timers of an SLA: a reminder when 80% of a window has passed (at least a minute before the
    /// deadline), and a breach note at the deadline.
    /// </summary>
    public static IEnumerable<SlaTimer> For(Escalation escalation, EscalationRoute route)
    {
        ArgumentNullException.ThrowIfNull(escalation);
        ArgumentNullException.ThrowIfNull(route);
        var start = escalation.AssignedAt;
        var (acknowledge, resolve) = route.Windows(escalation.Severity);
        foreach (var (window, reminder, breach) in new[]
        {
            (acknowledge, SlaTimerKind.AcknowledgeReminder, SlaTimerKind.AcknowledgeBreach),
            (resolve, SlaTimerKind.ResolveReminder, SlaTimerKind.ResolveBreach),
        })
        {
            if (window is not { } span)
            {
                continue;
            }

            // Windows count the team's working time when it has business hours (the reminder too).
            var lead = TimeSpan.FromTicks(Math.Max(span.Ticks / 5, Math.Min(TimeSpan.FromMinutes(1).Ticks, span.Ticks / 2)));
            yield return new SlaTimer(escalation.Id, reminder, route.Deadline(start, span - lead), start);
            yield return new SlaTimer(escalation.Id, breach, route.Deadline(start, span), start);
        }
    }
}

/// <summary>
/// SLA timers shared by every replica: each due timer is handed to exactly one caller of
/// <see cref="TakeDueAsync"/>, so a reminder is sent once however many replicas poll.
/// </summary>
public interface ISlaTimers
{
    Task ScheduleAsync(SlaTimer timer, CancellationToken cancellationToken);

    Task<IReadOnlyList<SlaTimer>> TakeDueAsync(DateTimeOffset now, int max, CancellationToken cancellationToken);
}

/// <summary>The embedded default (single process only).</summary>
internal sealed class InMemorySlaTimers : ISlaTimers
{
    private readonly ConcurrentDictionary<SlaTimer, byte> _timers = new();

    public Task ScheduleAsync(SlaTimer timer, CancellationToken cancellationToken)
    {
        _timers.TryAdd(timer, 0);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<SlaTimer>> TakeDueAsync(DateTimeOffset now, int max, CancellationToken cancellationToken)
    {
        var taken = new List<SlaTimer>();
        foreach (var timer in _timers.Keys.Where(t => t.Due <= now).OrderBy(t => t.Due).Take(max))
        {
            if (_timers.TryRemove(timer, out _))
            {
                taken.Add(timer);
            }
        }

        return Task.FromResult<IReadOnlyList<SlaTimer>>(taken);
    }
}
