using System.Globalization;
using Microsoft.Extensions.Logging;
using SupportBot.Core.Telemetry;

namespace SupportBot.Core.Escalations;

/// <summary>
/// An escalation's SLA clock: schedules the route's reminder and breach timers when a team thread opens, and when one
/// falls due (<see cref="SlaReminderService"/>) posts it, unless the escalation has moved on since it was set.
/// </summary>
public sealed partial class EscalationSla(
    EscalationRoutes routes,
    IEscalationStore store,
    ISlaTimers timers,
    EscalationThreads threads,
    ILogger<EscalationSla> logger)
{
    /// <summary>Schedules <paramref name="route"/>'s timers for <paramref name="escalation"/> as assigned now.</summary>
    public async Task ScheduleAsync(Escalation escalation, EscalationRoute route, CancellationToken cancellationToken)
    {
        foreach (var timer in SlaTimer.For(escalation, route))
        {
            await timers.ScheduleAsync(timer, cancellationToken);
        }
    }

    /// <summary>Sends a due SLA reminder or breach note, unless the escalation has moved on since it was set.</summary>
    public async Task FireAsync(SlaTimer timer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timer);
        var escalation = await store.GetAsync(timer.EscalationId, cancellationToken);
        if (escalation is null || escalation.AssignedAt != timer.AssignedAt || escalation.Target is null)
        {
            return;
        }

        var pending = timer.Kind is SlaTimerKind.AcknowledgeReminder or SlaTimerKind.AcknowledgeBreach
            ? escalation.Status == EscalationStatus.Open
            : escalation.Status != EscalationStatus.Resolved;
        if (!pending)
        {
            return;
        }

        var what = timer.Kind is SlaTimerKind.AcknowledgeReminder or SlaTimerKind.AcknowledgeBreach ? "acknowledgement" : "resolution";
        var severity = EscalationText.Label(escalation.Severity);
        if (timer.Kind is SlaTimerKind.AcknowledgeReminder or SlaTimerKind.ResolveReminder)
        {
            // The reminder goes to whoever has it, when someone does.
            await threads.PostAsync(escalation.Target, $"Reminder: {escalation.Id} ({severity}) needs {what} soon — SLA ends {DueText(escalation, timer)}.", escalation.Assignee is { } assignee ? [assignee] : [], cancellationToken);
            LogReminder(logger, escalation.Id, timer.Kind);
        }
        else
        {
            // The breach goes to the team lead in the team's thread; the requester's thread is told without the mention.
            var breached = $"SLA breached: {escalation.Id} ({severity}) was not {(what == "acknowledgement" ? "acknowledged" : "resolved")} in time.";
            await threads.PostAsync(escalation.Target, breached, routes.Find(escalation.Team)?.Lead is { } lead ? [lead] : [], cancellationToken);
            await threads.PostAsync(escalation.Origin, breached, cancellationToken);
            LogBreach(logger, escalation.Id, timer.Kind);
            SupportBotTelemetry.SlaBreaches.Add(1, SupportBotTelemetry.Tag("kind", what == "acknowledgement" ? "acknowledge" : "resolve"), SupportBotTelemetry.Tag("team", escalation.Team));
        }
    }

    private string DueText(Escalation escalation, SlaTimer timer)
    {
        if (routes.Find(escalation.Team) is not { } route)
        {
            return "soon";
        }

        var (acknowledge, resolve) = route.Windows(escalation.Severity);
        var window = timer.Kind == SlaTimerKind.AcknowledgeReminder ? acknowledge : resolve;
        if (window is not { } w)
        {
            return "soon";
        }

        var deadline = route.Deadline(timer.AssignedAt, w).ToUniversalTime();
        return deadline.ToString(deadline.Date == timer.AssignedAt.UtcDateTime.Date ? "HH:mm 'UTC'" : "ddd d MMM HH:mm 'UTC'", CultureInfo.InvariantCulture);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "SLA reminder sent for {Id} ({Kind})")]
    private static partial void LogReminder(ILogger logger, string id, SlaTimerKind kind);

    [LoggerMessage(Level = LogLevel.Warning, Message = "SLA breached for {Id} ({Kind})")]
    private static partial void LogBreach(ILogger logger, string id, SlaTimerKind kind);
}
