using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using SupportBot.Core.Queue;

namespace SupportBot.Tests.Queue;

public sealed class LifecycleHealthCheckTests
{
    [Fact]
    public async Task Readiness_waits_for_the_warm_up_and_turns_false_when_draining_or_stopping()
    {
        var lifecycle = new ReplicaLifecycle();
        var lifetime = new Lifetime();
        var check = new LifecycleHealthCheck(lifecycle, lifetime);

        Assert.Equal(HealthStatus.Healthy, (await check.CheckHealthAsync(new HealthCheckContext())).Status);

        lifecycle.WarmingUp();
        var warming = await check.CheckHealthAsync(new HealthCheckContext());
        Assert.Equal(HealthStatus.Degraded, warming.Status);
        Assert.Equal("warming up", warming.Description);

        lifecycle.WarmedUp();
        Assert.Equal(HealthStatus.Healthy, (await check.CheckHealthAsync(new HealthCheckContext())).Status);

        lifecycle.BeginDraining();
        var draining = await check.CheckHealthAsync(new HealthCheckContext());
        Assert.Equal(HealthStatus.Degraded, draining.Status);
        Assert.StartsWith("shutting down", draining.Description, StringComparison.Ordinal);

        var stopping = new LifecycleHealthCheck(new ReplicaLifecycle(), lifetime);
        await lifetime.Stopping.CancelAsync();
        Assert.Equal(HealthStatus.Degraded, (await stopping.CheckHealthAsync(new HealthCheckContext())).Status);
    }

    private sealed class Lifetime : IHostApplicationLifetime, IDisposable
    {
        public CancellationTokenSource Stopping { get; } = new();

        public CancellationToken ApplicationStarted => CancellationToken.None;

        public CancellationToken ApplicationStopping => Stopping.Token;

        public CancellationToken ApplicationStopped => CancellationToken.None;

        public void StopApplication() => Stopping.Cancel();

        public void Dispose() => Stopping.Dispose();
    }
}
