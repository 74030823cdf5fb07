using System.Diagnostics.Metrics;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace SupportBot.Core.Queue;

/// <summary>Readiness: not ready while the backlog is at its bound (new deliveries are being refused).</summary>
public sealed class QueueHealthCheck(IInboundQueue queue, IOptions<QueueOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var backlog = await queue.BacklogAsync(cancellationToken);
        var bound = options.Value.MaxBacklog;
        return backlog >= bound
            ? HealthCheckResult.Unhealthy($"inbound queue full: {backlog} of Queue:MaxBacklog {bound}; new deliveries are refused with 503")
            : HealthCheckResult.Healthy($"inbound queue: {backlog} waiting");
    }
}

