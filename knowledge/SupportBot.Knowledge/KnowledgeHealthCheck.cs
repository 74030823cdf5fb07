using Microsoft.Extensions.Diagnostics.HealthChecks;
using SupportBot.Knowledge.Index;

namespace SupportBot.Knowledge;

/// <summary>Ready when the knowledge index is open and holds passages.</summary>
internal sealed class KnowledgeHealthCheck(KnowledgeIndex index) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(index.Problem is { } problem ? HealthCheckResult.Unhealthy(problem) : HealthCheckResult.Healthy("knowledge index open"));
}
