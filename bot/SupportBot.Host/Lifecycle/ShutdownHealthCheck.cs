using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace SupportBot.Host.Lifecycle;

/// <summary>
/// Readiness turns false the moment the host is asked to stop (SIGTERM), while the worker still finishes what it
/// holds: a load balancer stops sending new requests before the process goes.
/// </summary>
internal sealed class ShutdownHealthCheck(IHostApplicationLifetime lifetime) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(lifetime.ApplicationStopping.IsCancellationRequested
            ? HealthCheckResult.Unhealthy("shutting down: finishing or handing back the work in hand")
            : HealthCheckResult.Healthy("serving"));
}
