using SupportBot.Core.Escalations;

namespace SupportBot.Tests.Escalations;

public sealed class BusinessHoursTests
{
    private static readonly BusinessHours Berlin = BusinessHours.Parse("Europe/Berlin", ["mon", "tue", "wed", "thu", "fri"], "09:00", "17:00", ["2026-12-25"], "route 'x'");

    private static DateTimeOffset Utc(int month, int day, int hour, int minute = 0) => new(2026, month, day, hour, minute, 0, TimeSpan.Zero);

    [Fact]
    public void Time_outside_working_hours_does_not_count()
    {
        // Friday 16:00 Berlin (15:00 UTC) + 8h: 1h on Friday, 7h on Monday → Monday 16:00 Berlin.
        Assert.Equal(Utc(12, 7, 15), Berlin.Add(Utc(12, 4, 15), TimeSpan.FromHours(8)));
        // Opened at night: the clock starts at 09:00.
        Assert.Equal(Utc(12, 8, 8, 30), Berlin.Add(Utc(12, 8, 2), TimeSpan.FromMinutes(30)));
        // A holiday is skipped: Thursday 24th 16:30 + 1h → Friday 25th is a holiday → Monday 28th 09:30.
        Assert.Equal(Utc(12, 28, 8, 30), Berlin.Add(Utc(12, 24, 15, 30), TimeSpan.FromHours(1)));
    }

    [Fact]
    public void Summer_time_is_followed()
    {
        // Berlin is UTC+2 on 1 July: 09:00 local is 07:00 UTC.
        Assert.Equal(new DateTimeOffset(2026, 7, 1, 8, 0, 0, TimeSpan.Zero), Berlin.Add(new DateTimeOffset(2026, 7, 1, 5, 0, 0, TimeSpan.Zero), TimeSpan.FromHours(1)));
        Assert.True(Berlin.IsOpen(new DateTimeOffset(2026, 7, 1, 7, 30, 0, TimeSpan.Zero)));
        Assert.False(Berlin.IsOpen(new DateTimeOffset(2026, 7, 1, 15, 30, 0, TimeSpan.Zero)));
    }

    [Theory]
    [InlineData("Mars/Olympus", null, null, "is not a time zone")]
    [InlineData("UTC", "funday", null, "is not one of mon")]
    [InlineData("UTC", null, "9am", "is not a time like 09:00")]
    public void Mistakes_are_refused_with_the_key(string zone, string? day, string? from, string expected)
    {
        var error = Assert.Throws<RoutesException>(() => BusinessHours.Parse(zone, day is null ? null : [day], from, null, null, "route 'x'"));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_route_reads_hours_severity_windows_rotation_and_lead()
    {
        var routes = EscalationRoutes.Parse("""
            default: payouts
            routes:
              - team: payouts
                slack: { channel: C0PAYOUTS }
                hours: { zone: Europe/Berlin }
                holidays: [2026-12-25]
                sla: { acknowledge: 4h, resolve: 2d, sev1: { acknowledge: 30m } }
                rotation: [U1, U2]
                lead: U9
            """);

        var route = routes.Find("payouts")!;
        Assert.Equal((TimeSpan.FromMinutes(30), TimeSpan.FromDays(2)), route.Windows(Severity.Sev1));
        Assert.Equal((TimeSpan.FromHours(4), TimeSpan.FromDays(2)), route.Windows(Severity.Sev3));
        Assert.Equal(["U1", "U2"], route.Rotation);
        Assert.Equal("U9", route.Lead);
        Assert.Equal(Utc(12, 7, 15), route.Deadline(Utc(12, 4, 15), TimeSpan.FromHours(8)));

        var typo = Assert.Throws<RoutesException>(() => EscalationRoutes.Parse("default: a\nroutes:\n  - team: a\n    slack: { channel: C1 }\n    rotaton: [U1]\n"));
        Assert.Contains("line 5", typo.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void People_hours_must_name_someone_in_the_rotation()
    {
        var error = Assert.Throws<RoutesException>(() => EscalationRoutes.Parse("""
            default: a
            routes:
              - team: a
                slack: { channel: C1 }
                rotation: [U1]
                people:
                  U2: { hours: { zone: Europe/Paris } }
            """));
        Assert.Contains("people.U2 is not in the rotation", error.Message, StringComparison.Ordinal);
    }
}
