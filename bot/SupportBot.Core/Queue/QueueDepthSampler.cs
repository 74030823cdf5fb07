using Microsoft.Extensions.Hosting;
using SupportBot.Core.Telemetry;

namespace SupportBot.Core.Queue;

/// <summary>Samples the queue's backlog every few seconds for the <c>supportbot.queue.depth</c> gauge (one XLEN with Redis).</summary>
internal sealed class QueueDepthSampler(IInboundQueue queue, TimeProvider time) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        do
        {
            try
            {
                SupportBotTelemetry.RecordQueueDepth(await queue.BacklogAsync(stoppingToken));
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The state store is unreachable: readiness says so; the gauge keeps its last value.
            }
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
