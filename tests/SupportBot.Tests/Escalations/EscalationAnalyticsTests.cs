using SupportBot.Core.Conversations;
using SupportBot.Core.Escalations;

namespace SupportBot.Tests.Escalations;

/// <summary>Escalation figures by team: counts, times to acknowledge and resolve, SLA compliance.</summary>
public sealed class EscalationAnalyticsTests
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.Parse("2026-12-01T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

    // disputes: acknowledge within 30m, resolve within 8h; risk: 15m and 4h (the built-in routes).
    private static readonly EscalationRoutes Routes = EscalationRoutes.Load(EscalationOptions.BuiltInRoutes);

    private static Escalation Open(string id, string team, int atMinutes = 0) => Escalation.Open(
        id, team, Severity.Sev2, null, "Evidence deadline", "ann",
        new ThreadAddress(new ConversationRef("slack", "C0AGENTS", id), new Dictionary<string, string>()), T0.AddMinutes(atMinutes));

    [Theory]
    [InlineData(new double[] { 5 }, 50, 5)]
    [InlineData(new double[] { 1, 2, 3, 4 }, 50, 2.5)]
    [InlineData(new double[] { 4, 1, 3, 2, 5 }, 50, 3)]
    [InlineData(new double[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 }, 90, 9.1)]
    [InlineData(new double[] { 10, 20 }, 90, 19)]
    public void Percentiles_interpolate_between_neighbours(double[] values, double percent, double expected) =>
        Assert.Equal(expected, EscalationAnalytics.Percentile(values, percent)!.Value, 6);

    [Fact]
    public void No_values_have_no_percentile() => Assert.Null(EscalationAnalytics.Percentile([], 50));

    [Fact]
    public void Ratings_average_per_team_over_the_rated_escalations_only()
    {
        Escalation Rated(string id, int score) =>
            Open(id, "disputes").Resolve("priya", T0.AddHours(1))! with { Rating = new EscalationRating(score, null, "ann", T0.AddHours(2)) };
        Escalation[] escalations = [Rated("ESC-1", 5), Rated("ESC-2", 2), Open("ESC-3", "disputes").Resolve("priya", T0.AddHours(1))!];

        var disputes = Assert.Single(EscalationAnalytics.ByTeam(escalations, Routes, T0.AddDays(1)));

        Assert.Equal(new RatingFigures(2, 3.5), disputes.Ratings);
    }

    [Fact]
    public void Each_team_gets_its_counts_times_and_sla_compliance()
    {
        var now = T0.AddHours(24);
        Escalation[] escalations =
        [
            // Acknowledged in 10 min and resolved in 2h: both within the disputes SLA.
            Open("ESC-1", "disputes").Acknowledge("priya", T0.AddMinutes(10))!.Resolve("priya", T0.AddHours(2))!,
            // Acknowledged in 40 min (late), resolved in 10h (late).
            Open("ESC-2", "disputes").Acknowledge("priya", T0.AddMinutes(40))!.Resolve("priya", T0.AddHours(10))!,
            // Never acknowledged, a day on: both missed, still pending.
            Open("ESC-3", "disputes"),
            // Reassigned to risk after 5 minutes (within disputes' window: not counted against disputes), then acknowledged by risk 20 min after that.
            Open("ESC-4", "disputes").Reassign("risk", "priya", T0.AddMinutes(5))!.Acknowledge("omar", T0.AddMinutes(25))!,
        ];

        var figures = EscalationAnalytics.ByTeam(escalations, Routes, now);

        Assert.Equal(["disputes", "risk"], figures.Select(f => f.Team));
        var disputes = figures[0];
        Assert.Equal((4, 2, 2, 1, 1), (disputes.Opened, disputes.Acknowledged, disputes.Resolved, disputes.Reassigned, disputes.Pending));
        Assert.Equal(new DurationFigures(2, 25, 37), disputes.TimeToAcknowledge);
        Assert.Equal(new DurationFigures(2, 360, 552), disputes.TimeToResolve);
        Assert.Equal(new SlaFigures(1, 3, 1.0 / 3), disputes.AcknowledgeSla);
        Assert.Equal(new SlaFigures(1, 3, 1.0 / 3), disputes.ResolveSla);

        var risk = figures[1];
        Assert.Equal((1, 1, 0, 0, 1), (risk.Opened, risk.Acknowledged, risk.Resolved, risk.Reassigned, risk.Pending));
        Assert.Equal(new DurationFigures(1, 20, 20), risk.TimeToAcknowledge);
        // 20 min against risk's 15 min window: missed; its 4h resolution window (from the reassignment) has run out too.
        Assert.Equal(new SlaFigures(0, 1, 0), risk.AcknowledgeSla);
        Assert.Equal(new SlaFigures(0, 1, 0), risk.ResolveSla);
    }

    [Fact]
    public void A_pending_escalation_within_its_window_is_not_yet_counted_and_resolving_counts_as_acknowledging()
    {
        var now = T0.AddMinutes(20);
        var figures = EscalationAnalytics.ByTeam([Open("ESC-1", "disputes"), Open("ESC-2", "disputes").Resolve("priya", T0.AddMinutes(12))!], Routes, now);

        var disputes = Assert.Single(figures);
        Assert.Equal(new SlaFigures(1, 1, 1), disputes.AcknowledgeSla);
        Assert.Equal(new SlaFigures(1, 1, 1), disputes.ResolveSla);
        Assert.Equal(new DurationFigures(1, 12, 12), disputes.TimeToAcknowledge);
    }

    [Fact]
    public void A_team_filter_keeps_that_team_and_a_team_without_a_route_has_no_sla()
    {
        var escalations = new[] { Open("ESC-1", "disputes"), Open("ESC-2", "legacy-team").Acknowledge("x", T0.AddMinutes(3))! };

        Assert.Equal(["disputes"], EscalationAnalytics.ByTeam(escalations, Routes, T0, "DISPUTES").Select(f => f.Team));
        var legacy = EscalationAnalytics.ByTeam(escalations, Routes, T0.AddDays(1), "legacy-team").Single();
        Assert.Equal(new SlaFigures(0, 0, null), legacy.AcknowledgeSla);
        Assert.Equal(1, legacy.Acknowledged);
    }
}
