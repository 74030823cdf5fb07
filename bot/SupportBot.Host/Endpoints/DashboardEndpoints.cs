using Microsoft.Extensions.Diagnostics.HealthChecks;
using SupportBot.Core.Insights;

namespace SupportBot.Host.Endpoints;

public sealed record DashboardReadiness(string Status, IReadOnlyList<string> Reasons);

public sealed record DashboardData(InsightsTotals Totals, IReadOnlyList<QuestionRecord> Recent, IReadOnlyList<GapRecord> Gaps, DashboardReadiness Ready);

public sealed record GapRecord(string Question, DateTimeOffset At, string Surface);

/// <summary>The operations dashboard at <c>/</c> and its data.</summary>
public static class DashboardEndpoints
{
    private const int RecentCount = 50;

    public static IEndpointRouteBuilder MapDashboard(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", () => Pages.Serve("dashboard.html"));
        app.MapGet("/api/dashboard", GetAsync);
        return app;
    }

    internal static async Task<IResult> GetAsync(IInsightsStore insights, HealthCheckService health, CancellationToken cancellationToken)
    {
        var report = await health.CheckHealthAsync(HealthEndpoints.IsReadinessCheck, cancellationToken);
        var readiness = new DashboardReadiness(
            report.Status == HealthStatus.Healthy ? "ready" : "not ready",
            HealthEndpoints.Problems(report));
        try
        {
            var snapshot = await insights.GetSnapshotAsync(RecentCount, cancellationToken);
            var gaps = snapshot.Gaps.Select(g => new GapRecord(g.Question, g.At, g.Surface)).ToList();
            return Results.Ok(new DashboardData(snapshot.Totals, snapshot.Recent, gaps, readiness));
        }
        catch (Exception ex) when (ex is not OperationCanceledException && report.Status != HealthStatus.Healthy)
        {
            // The state store is down: show readiness, not a 500.
            return Results.Ok(new DashboardData(new InsightsTotals(0, 0, 0, 0, 0), [], [], readiness));
        }
    }
}
