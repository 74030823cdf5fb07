namespace SupportBot.Core.Escalations;

/// <summary>Durations in minutes: the middle one and the one 90% stay within; null without any.</summary>
public sealed record DurationFigures(int Count, double? MedianMinutes, double? P90Minutes);

/// <summary>
/// How often a team met its route's SLA: <see cref="Met"/> of <see cref="Due"/> assignments whose window has been
/// decided (met, or missed — including ones still waiting past their deadline); null rate without any or without an SLA.
/// </summary>
public sealed record SlaFigures(int Met, int Due, double? Rate);

/// <summary>How requesters rated a team's resolved escalations: how many were rated, and the average of 1–5.</summary>
public sealed record RatingFigures(int Count, double? Average);

/// <summary>One team's escalations in a period.</summary>
/// <param name="Opened">Assignments the team received: escalations opened to it and reassigned to it.</param>
/// <param name="Reassigned">Assignments the team passed on to another team.</param>
/// <param name="Pending">Assignments still with the team, not resolved.</param>
public sealed record TeamEscalationFigures(
    string Team,
    int Opened,
    int Acknowledged,
    int Resolved,
    int Reassigned,
    int Pending,
    DurationFigures TimeToAcknowledge,
    DurationFigures TimeToResolve,
    SlaFigures AcknowledgeSla,
    SlaFigures ResolveSla)
{
    /// <summary>Ratings of the escalations the team resolved.</summary>
    public RatingFigures Ratings { get; init; } = new(0, null);
}

/// <summary>
/// Escalation figures by team, from escalations' histories. Each team's stint with an escalation — from being opened or
/// reassigned to it until it is reassigned away — is one assignment; times are measured from the assignment's start,
/// as the SLA clock is (a reassignment restarts it). Resolving without acknowledging counts as acknowledging then.
/// </summary>
public static class EscalationAnalytics
{
    /// <param name="routes">The SLA windows, by team; a team without a route has no SLA figures.</param>
    /// <param name="now">Pending assignments past their deadline count as missed.</param>
    /// <param name="team">Only this team's figures; null or empty for all.</param>
    public static IReadOnlyList<TeamEscalationFigures> ByTeam(IEnumerable<Escalation> escalations, EscalationRoutes? routes, DateTimeOffset now, string? team = null)
    {
        ArgumentNullException.ThrowIfNull(escalations);
        var all = escalations as IReadOnlyCollection<Escalation> ?? [.. escalations];
        var ratings = all.Where(e => e.Rating is not null)
            .GroupBy(e => e.Team, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => new RatingFigures(g.Count(), Math.Round(g.Average(e => e.Rating!.Score), 2)), StringComparer.OrdinalIgnoreCase);
        return
        [
            .. all
                .SelectMany(Assignments)
                .Where(a => string.IsNullOrEmpty(team) || string.Equals(a.Team, team, StringComparison.OrdinalIgnoreCase))
                .GroupBy(a => a.Team, StringComparer.OrdinalIgnoreCase)
                .Select(g => Figures(g.Key, [.. g], routes?.Find(g.Key), now) with { Ratings = ratings.GetValueOrDefault(g.Key) ?? new(0, null) })
                .OrderByDescending(f => f.Opened)
                .ThenBy(f => f.Team, StringComparer.OrdinalIgnoreCase),
        ];
    }

    /// <summary>The value <paramref name="percent"/>% of <paramref name="values"/> stay within, interpolated between neighbours.</summary>
    public static double? Percentile(IReadOnlyList<double> values, double percent)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
        {
            return null;
        }

        var sorted = values.Order().ToList();
        var rank = percent / 100 * (sorted.Count - 1);
        var lower = (int)Math.Floor(rank);
        var upper = (int)Math.Ceiling(rank);
        return sorted[lower] + ((sorted[upper] - sorted[lower]) * (rank - lower));
    }

    /// <summary>One team's stint with an escalation.</summary>
    internal sealed record Assignment(string Team, DateTimeOffset Start, DateTimeOffset? Acknowledged, DateTimeOffset? Resolved, DateTimeOffset? ReassignedAt)
    {
        public bool ReassignedAway => ReassignedAt is not null;
    }

    internal static IEnumerable<Assignment> Assignments(Escalation escalation)
    {
        ArgumentNullException.ThrowIfNull(escalation);
        Assignment? current = null;
        foreach (var step in escalation.History)
        {
            switch (step.Status)
            {
                case EscalationStatus.Open:
                    if (current is not null)
                    {
                        yield return current with { ReassignedAt = step.At };
                    }

                    current = new Assignment(step.Team, step.At, null, null, null);
                    break;
                case EscalationStatus.Acknowledged when current is not null:
                    current = current with { Acknowledged = current.Acknowledged ?? step.At };
                    break;
                case EscalationStatus.Resolved when current is not null:
                    current = current with { Acknowledged = current.Acknowledged ?? step.At, Resolved = current.Resolved ?? step.At };
                    break;
            }
        }

        if (current is not null)
        {
            yield return current;
        }
    }

    private static TeamEscalationFigures Figures(string team, List<Assignment> assignments, EscalationRoute? route, DateTimeOffset now)
    {
        var toAcknowledge = assignments.Where(a => a.Acknowledged is not null).Select(a => (a.Acknowledged!.Value - a.Start).TotalMinutes).ToList();
        var toResolve = assignments.Where(a => a.Resolved is not null).Select(a => (a.Resolved!.Value - a.Start).TotalMinutes).ToList();
        return new TeamEscalationFigures(
            route?.Team ?? team,
            assignments.Count,
            toAcknowledge.Count,
            toResolve.Count,
            assignments.Count(a => a.ReassignedAway),
            assignments.Count(a => a.Resolved is null && !a.ReassignedAway),
            Durations(toAcknowledge),
            Durations(toResolve),
            Sla(assignments, route?.AcknowledgeWithin, a => a.Acknowledged, now),
            Sla(assignments, route?.ResolveWithin, a => a.Resolved, now));
    }

    private static DurationFigures Durations(List<double> minutes) => new(minutes.Count, Percentile(minutes, 50), Percentile(minutes, 90));

    private static SlaFigures Sla(List<Assignment> assignments, TimeSpan? window, Func<Assignment, DateTimeOffset?> done, DateTimeOffset now)
    {
        if (window is not { } within)
        {
            return new SlaFigures(0, 0, null);
        }

        int met = 0, due = 0;
        foreach (var assignment in assignments)
        {
            var deadline = assignment.Start + within;
            if (done(assignment) is { } at)
            {
                due++;
                met += at <= deadline ? 1 : 0;
            }
            else if ((assignment.ReassignedAt ?? now) > deadline)
            {
                due++; // still waiting past the deadline, or passed on after it: missed
            }
        }

        return new SlaFigures(met, due, due > 0 ? (double)met / due : null);
    }
}
