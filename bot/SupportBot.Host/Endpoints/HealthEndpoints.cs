using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace SupportBot.Host.Endpoints;

/// <summary><c>/healthz</c> (the process serves) and <c>/readyz</c> (state store and knowledge index usable).</summary>
public static class HealthEndpoints
{
    public const string ReadyTag = "ready";

    public static bool IsReadinessCheck(HealthCheckRegistration registration) =>
        registration.Tags.Contains(ReadyTag);

    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/readyz", new HealthCheckOptions
        {
            Predicate = IsReadinessCheck,
            ResponseWriter = WriteReadinessAsync,
            ResultStatusCodes =
            {
                [HealthStatus.Healthy] = StatusCodes.Status200OK,
                [HealthStatus.Degraded] = StatusCodes.Status503ServiceUnavailable,
                [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
            },
        });
        return app;
    }

    public static IReadOnlyList<string> Problems(HealthReport report) =>
        [.. report.Entries.Where(e => e.Value.Status != HealthStatus.Healthy).Select(e => e.Value.Description ?? e.Key)];

    private static Task WriteReadinessAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        var body = new ReadinessReport(
            report.Status == HealthStatus.Healthy ? "ready" : "not ready",
            Problems(report),
            report.Entries.ToDictionary(e => e.Key, e => e.Value.Description ?? e.Value.Status.ToString()));
        return JsonSerializer.SerializeAsync(context.Response.Body, body, HostJson.Default.ReadinessReport, context.RequestAborted);
    }
}

public sealed record ReadinessReport(string Status, IReadOnlyList<string> Reasons, IReadOnlyDictionary<string, string> Checks);
