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

/// <summary>The queue's metrics (meter <c>SupportBot</c>).</summary>
public static class QueueMetrics
{
    public const string MeterName = "SupportBot";

    private static readonly Meter Meter = new(MeterName);

    /// <summary>Deliveries refused with 503 because the backlog was full.</summary>
    public static readonly Counter<long> RefusedForBacklog = Meter.CreateCounter<long>("supportbot.inbound.refused_backlog_full", description: "Deliveries refused because the inbound queue was full");
}
