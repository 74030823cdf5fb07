using System.Globalization;
using SupportBot.Core.Escalations;
using SupportBot.Core.Insights;
using SupportBot.Host.Web;

namespace SupportBot.Host.Endpoints;

/// <summary>A team as the filter offers it.</summary>
public sealed record AnalyticsTeam(string Team, string Name);

/// <summary>Documentation gaps in the period: how many unanswered questions were grouped, and the groups, largest first.</summary>
/// <param name="Questions">Unanswered questions in the period among the newest kept (<c>Retention:Insights</c>, at most 500).</param>
public sealed record AnalyticsGaps(int Questions, int ClusterCount, IReadOnlyList<GapCluster> Clusters);

/// <summary>Escalations opened in the period, by team.</summary>
/// <param name="Truncated">More than the most read were opened: the figures cover the newest.</param>
public sealed record AnalyticsEscalations(int Count, bool Truncated, IReadOnlyList<TeamEscalationFigures> ByTeam);

/// <summary>What the analytics page shows for a period, channel and team.</summary>
public sealed record AnalyticsReport(
    DateOnly From,
    DateOnly To,
    string? Channel,
    string? Team,
    TrendReport Trends,
    AnalyticsGaps Gaps,
    AnalyticsEscalations Escalations,
    IReadOnlyList<AnalyticsTeam> Teams);

/// <summary>
/// Analytics for leads at <c>/analytics</c>: trends per day (from the per-day counters), documentation gaps as
/// clusters, escalation figures by team, and CSV exports of each. Ops leads only (<see cref="WebAccess.OpsPolicy"/>),
/// like the dashboard.
/// </summary>
public static class AnalyticsEndpoints
{
    /// <summary>The longest period one request may ask for.</summary>
    public const int MaxDays = 366;

    /// <summary>The period when none is given: the last 30 days, today included.</summary>
    public const int DefaultDays = 30;

    /// <summary>The most escalations one request reads.</summary>
    public const int MaxEscalations = 5_000;

    /// <summary>The most gap clusters the page is sent (the CSV has them all).</summary>
    public const int MaxClusters = 50;

    private const int MaxFilterLength = 200;

    public static readonly IReadOnlyList<string> Sections = ["trends", "reasons", "gaps", "escalations"];

    public static IEndpointRouteBuilder MapAnalytics(this IEndpointRouteBuilder app)
    {
        var access = app.ServiceProvider.GetRequiredService<WebAccess>();
        if (!access.Dashboard)
        {
            return app;
        }

        app.MapGet("/analytics", () => Pages.Serve("analytics.html")).Protect(access, WebAccess.OpsPolicy);
        app.MapGet("/api/analytics", GetAsync).Protect(access, WebAccess.OpsPolicy);
        app.MapGet("/api/analytics.csv", GetCsvAsync).Protect(access, WebAccess.OpsPolicy);
        return app;
    }

    internal static async Task<IResult> GetAsync(
        string? from, string? to, string? channel, string? team,
        IInsightsStore insights, IEscalationStore escalations, EscalationRoutes routes, TimeProvider time, CancellationToken cancellationToken)
    {
        if (Parse(from, to, channel, team, time) is not { } query)
        {
            return Invalid(from, to, channel, team, time);
        }

        var report = await BuildAsync(query, insights, escalations, routes, time, cancellationToken);
        return Results.Ok(report with { Gaps = report.Gaps with { Clusters = [.. report.Gaps.Clusters.Take(MaxClusters)] } });
    }

    internal static async Task<IResult> GetCsvAsync(
        string? section, string? from, string? to, string? channel, string? team,
        IInsightsStore insights, IEscalationStore escalations, EscalationRoutes routes, TimeProvider time, CancellationToken cancellationToken)
    {
        var name = string.IsNullOrEmpty(section) ? "trends" : section;
        if (!Sections.Contains(name))
        {
            return Results.BadRequest(new ApiError($"section must be one of {string.Join(", ", Sections)}."));
        }

        if (Parse(from, to, channel, team, time) is not { } query)
        {
            return Invalid(from, to, channel, team, time);
        }

        var report = await BuildAsync(query, insights, escalations, routes, time, cancellationToken);
        var csv = name switch
        {
            "reasons" => Csv.Write(["reason", "label", "count"], report.Trends.Reasons.Select(r => new[] { r.Reason, r.Label, Number(r.Count) })),
            "gaps" => Csv.Write(
                ["cluster", "label", "questions", "latest", "representative", "example", "asked_at", "surface", "channel"],
                report.Gaps.Clusters.SelectMany((c, i) => c.Examples.Select(e => new[]
                {
                    Number(i + 1), c.Label, Number(c.Count), Instant(c.Latest), c.Representative, e.Question, Instant(e.At), e.Surface, e.Channel,
                }))),
            "escalations" => Csv.Write(
                [
                    "team", "opened", "acknowledged", "resolved", "reassigned", "pending",
                    "ack_median_min", "ack_p90_min", "resolve_median_min", "resolve_p90_min",
                    "ack_sla_met", "ack_sla_due", "ack_sla_rate", "resolve_sla_met", "resolve_sla_due", "resolve_sla_rate",
                    "ratings", "rating_average",
                ],
                report.Escalations.ByTeam.Select(t => new[]
                {
                    t.Team, Number(t.Opened), Number(t.Acknowledged), Number(t.Resolved), Number(t.Reassigned), Number(t.Pending),
                    Number(t.TimeToAcknowledge.MedianMinutes), Number(t.TimeToAcknowledge.P90Minutes), Number(t.TimeToResolve.MedianMinutes), Number(t.TimeToResolve.P90Minutes),
                    Number(t.AcknowledgeSla.Met), Number(t.AcknowledgeSla.Due), Number(t.AcknowledgeSla.Rate), Number(t.ResolveSla.Met), Number(t.ResolveSla.Due), Number(t.ResolveSla.Rate),
                    Number(t.Ratings.Count), Number(t.Ratings.Average),
                })),
            _ => Csv.Write(
                ["day", "questions", "answered", "declined", "helpful", "not_helpful", "helpful_ratio"],
                report.Trends.Days.Select(d => new[]
                {
                    DailyCounters.Name(d.Day), Number(d.Questions), Number(d.Answered), Number(d.Declined), Number(d.Helpful), Number(d.NotHelpful), Number(d.HelpfulRatio),
                })),
        };
        var file = $"supportbot-{name}-{DailyCounters.Name(query.From)}-to-{DailyCounters.Name(query.To)}.csv";
        return Results.File(System.Text.Encoding.UTF8.GetBytes(csv), "text/csv; charset=utf-8", file);
    }

    /// <summary>A request's period and filters, checked.</summary>
    internal sealed record AnalyticsQuery(DateOnly From, DateOnly To, string? Channel, string? Team);

    internal static async Task<AnalyticsReport> BuildAsync(
        AnalyticsQuery query, IInsightsStore insights, IEscalationStore escalations, EscalationRoutes routes, TimeProvider time, CancellationToken cancellationToken)
    {
        var since = new DateTimeOffset(query.From.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var until = new DateTimeOffset(query.To.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var daysTask = insights.GetDaysAsync(query.From, query.To, cancellationToken);
        var snapshotTask = insights.GetSnapshotAsync(IInsightsStore.RecordsKept, cancellationToken);
        var opened = await escalations.ListOpenedAsync(since, until, MaxEscalations, cancellationToken);
        var trends = InsightsTrends.From(await daysTask, query.From, query.To, query.Channel);

        var gaps = (await snapshotTask).Gaps
            .Where(g => g.At >= since && g.At < until && (query.Channel is null || string.Equals(g.Channel, query.Channel, StringComparison.Ordinal)))
            .ToList();
        var clusters = GapClusters.Group(gaps);

        var inChannel = opened.Where(e => query.Channel is null || string.Equals(e.Origin.Conversation.Channel, query.Channel, StringComparison.Ordinal)).ToList();
        var byTeam = EscalationAnalytics.ByTeam(inChannel, routes, time.GetUtcNow(), query.Team);
        return new AnalyticsReport(
            query.From,
            query.To,
            query.Channel,
            query.Team,
            trends,
            new AnalyticsGaps(gaps.Count, clusters.Count, clusters),
            new AnalyticsEscalations(query.Team is null ? inChannel.Count : byTeam.Sum(t => t.Opened), opened.Count >= MaxEscalations, byTeam),
            [.. routes.Routes.Select(r => new AnalyticsTeam(r.Team, r.Name))]);
    }

    internal static AnalyticsQuery? Parse(string? from, string? to, string? channel, string? team, TimeProvider time) =>
        Problem(from, to, channel, team, time, out var query) is null ? query : null;

    private static IResult Invalid(string? from, string? to, string? channel, string? team, TimeProvider time) =>
        Results.BadRequest(new ApiError(Problem(from, to, channel, team, time, out _)!));

    /// <summary>What is wrong with the request, or null with the query it asks for.</summary>
    private static string? Problem(string? from, string? to, string? channel, string? team, TimeProvider time, out AnalyticsQuery? query)
    {
        query = null;
        var today = DailyCounters.DayOf(time.GetUtcNow());
        DateOnly last = today, first;
        if (!string.IsNullOrEmpty(to) && !TryDay(to, out last))
        {
            return "to must be a date as YYYY-MM-DD.";
        }

        if (string.IsNullOrEmpty(from))
        {
            first = last.AddDays(1 - DefaultDays);
        }
        else if (!TryDay(from, out first))
        {
            return "from must be a date as YYYY-MM-DD.";
        }

        if (first > last)
        {
            return "from must not be after to.";
        }

        if (last.DayNumber - first.DayNumber + 1 > MaxDays)
        {
            return $"The period is at most {MaxDays.ToString(CultureInfo.InvariantCulture)} days.";
        }

        if (channel?.Length > MaxFilterLength || team?.Length > MaxFilterLength)
        {
            return $"channel and team are at most {MaxFilterLength.ToString(CultureInfo.InvariantCulture)} characters.";
        }

        query = new AnalyticsQuery(first, last, Blank(channel), Blank(team));
        return null;
    }

    private static bool TryDay(string text, out DateOnly day) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day);

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Number(double? value) => value is { } v ? Math.Round(v, 4).ToString(CultureInfo.InvariantCulture) : string.Empty;

    private static string Instant(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
