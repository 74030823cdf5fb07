using SupportBot.Core.Conversations;
using SupportBot.Core.Escalations;

namespace SupportBot.Tests.Escalations;

public sealed class EscalationTests
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.Parse("2026-11-25T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
    private static readonly ThreadAddress Origin = new(new ConversationRef("slack", "C0AGENTS", "1700000000.000100"), new Dictionary<string, string>());

    private static Escalation New() => Escalation.Open("ESC-1001", "disputes", Severity.Sev2, "12346", "Evidence deadline tomorrow", "ann", Origin, T0);

    [Fact]
    public void It_moves_open_acknowledged_resolved_with_who_and_when()
    {
        var resolved = New().Acknowledge("priya", T0.AddMinutes(5))!.Resolve("priya", T0.AddHours(2), "evidence submitted")!;

        Assert.Equal(EscalationStatus.Resolved, resolved.Status);
        Assert.Equal(
            [(EscalationStatus.Open, "ann"), (EscalationStatus.Acknowledged, "priya"), (EscalationStatus.Resolved, "priya")],
            resolved.History.Select(e => (e.Status, e.By)));
        Assert.Equal("evidence submitted", resolved.History[^1].Note);
    }

    [Fact]
    public void Illegal_moves_are_refused()
    {
        var acknowledged = New().Acknowledge("priya", T0)!;

        Assert.Null(acknowledged.Acknowledge("sam", T0));
        Assert.Null(acknowledged.Resolve("priya", T0)!.Resolve("priya", T0));
        Assert.Null(acknowledged.Reassign("disputes", "priya", T0));
        Assert.Null(acknowledged.Resolve("priya", T0)!.Reassign("risk", "priya", T0));
    }

    [Fact]
    public void Reassigning_reopens_on_the_other_team_and_restarts_the_clock()
    {
        var reassigned = New().Acknowledge("priya", T0.AddMinutes(5))!.Reassign("risk", "priya", T0.AddMinutes(20), "looks like fraud")!;

        Assert.Equal(("risk", EscalationStatus.Open), (reassigned.Team, reassigned.Status));
        Assert.Null(reassigned.Target);
        Assert.Equal(T0.AddMinutes(20), reassigned.AssignedAt);
    }

    [Fact]
    public void Sla_timers_remind_before_each_deadline_and_mark_the_breach()
    {
        var route = new EscalationRoute("disputes", "Disputes", [], new RouteDestination("slack", "C1"), TimeSpan.FromMinutes(30), TimeSpan.FromHours(8));

        var timers = SlaTimer.For(New(), route).ToList();

        Assert.Equal(
            [
                (SlaTimerKind.AcknowledgeReminder, T0.AddMinutes(24)),
                (SlaTimerKind.AcknowledgeBreach, T0.AddMinutes(30)),
                (SlaTimerKind.ResolveReminder, T0.AddHours(8) - TimeSpan.FromMinutes(96)),
                (SlaTimerKind.ResolveBreach, T0.AddHours(8)),
            ],
            timers.Select(t => (t.Kind, t.Due)));
        Assert.All(timers, t => Assert.Equal(T0, t.AssignedAt));
    }
}
