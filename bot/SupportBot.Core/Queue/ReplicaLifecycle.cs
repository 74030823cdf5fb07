using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace SupportBot.Core.Queue;

/// <summary>Where this replica is in its life: warming up, serving, or draining because it was asked to stop.</summary>
public sealed class ReplicaLifecycle
{
    private volatile bool _draining;
    private volatile bool _warm = true;

    /// <summary>False while the host warms its code paths up before it takes traffic.</summary>
    public bool Warm => _warm;

    /// <summary>A host that warms up says so at start; readiness waits for <see cref="WarmedUp"/>.</summary>
    public void WarmingUp() => _warm = false;

    /// <summary>What the warm-up did, shown by readiness (null when there was none).</summary>
    public string? WarmUpSummary { get; private set; }

    public void WarmedUp(string? summary = null)
    {
        WarmUpSummary = summary;
        _warm = true;
    }

    /// <summary>True from the moment the worker starts draining (SIGTERM, a host stop).</summary>
    public bool Draining => _draining;

    internal void BeginDraining() => _draining = true;
}

/// <summary>
/// Readiness turns false the moment the replica is asked to stop, while the worker still finishes what it holds
/// and the web server still answers: a load balancer stops sending new requests before the process goes. Warming up
/// and shutting down are expected states, so they are Degraded (readiness answers 503 for Degraded as for Unhealthy)
/// and probes during them log a warning, not an error.
/// </summary>
public sealed class LifecycleHealthCheck(ReplicaLifecycle lifecycle, IHostApplicationLifetime lifetime) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(
            lifecycle.Draining || lifetime.ApplicationStopping.IsCancellationRequested ? HealthCheckResult.Degraded("shutting down: finishing or handing back the work in hand")
            : !lifecycle.Warm ? HealthCheckResult.Degraded("warming up")
            : HealthCheckResult.Healthy(lifecycle.WarmUpSummary is { } warmUp ? $"serving ({warmUp})" : "serving"));
}
