using Microsoft.Extensions.Diagnostics.HealthChecks;
using SupportBot.Core.Audit;
using SupportBot.Core.Insights;
using SupportBot.Host.Web;

namespace SupportBot.Host.Endpoints;

public sealed record DashboardReadiness(string Status, IReadOnlyList<string> Reasons);

public sealed record DashboardData(InsightsTotals Totals, IReadOnlyList<QuestionRecord> Recent, IReadOnlyList<GapRecord> Gaps, DashboardReadiness Ready)
{
    /// <summary>The newest feedback on answers: vote, reason, comment, the masked question and the sources it cited.</summary>
    public IReadOnlyList<FeedbackRecord> Feedback { get; init; } = [];
}

public sealed record GapRecord(string Question, DateTimeOffset At, string Surface);

public sealed record AuditPage(IReadOnlyList<AuditEntry> Entries);

/// <summary>The operations dashboard at <c>/</c> and its data.</summary>
public static class DashboardEndpoints
{
    private const int RecentCount = 50;
    private const int AuditCount = 100;
    private const int MaxAuditCount = 1_000;

    public static IEndpointRouteBuilder MapDashboard(this IEndpointRouteBuilder app)
    {
        var access = app.ServiceProvider.GetRequiredService<WebAccess>();
        if (!access.Dashboard)
        {
            return app;
        }

        app.MapGet("/", () => Pages.Serve("dashboard.html")).Protect(access, WebAccess.OpsPolicy);
        app.MapGet("/api/dashboard", GetAsync).Protect(access, WebAccess.OpsPolicy);
        app.MapGet("/api/audit", GetAuditAsync).Protect(access, WebAccess.OpsPolicy);
        app.MapCuration(access);
        return app;
    }

    /// <summary>The newest audit entries (case lookups, erasures), newest first: who, what, where, when.</summary>
    internal static async Task<IResult> GetAuditAsync(int? count, IAuditTrail audit, CancellationToken cancellationToken)
    {
        var entries = await audit.ReadAsync(Math.Clamp(count ?? AuditCount, 1, MaxAuditCount), cancellationToken);
        return Results.Ok(new AuditPage(entries));
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
            return Results.Ok(new DashboardData(snapshot.Totals, snapshot.Recent, gaps, readiness) { Feedback = snapshot.Feedback });
        }
        catch (Exception ex) when (ex is not OperationCanceledException && report.Status != HealthStatus.Healthy)
        {
            // The state store is down: show readiness, not a 500.
            return Results.Ok(new DashboardData(new InsightsTotals(0, 0, 0, 0, 0), [], [], readiness));
        }
    }
}
