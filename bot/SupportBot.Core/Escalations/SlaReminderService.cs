using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace SupportBot.Core.Escalations;

/// <summary>
/// Polls the shared SLA timers and fires the due ones. Any number of replicas may run it: each due
/// timer is taken by exactly one of them.
/// </summary>
internal sealed partial class SlaReminderService(
    ISlaTimers timers,
    EscalationSla sla,
    TimeProvider time,
    IOptions<EscalationOptions> options,
    ILogger<SlaReminderService> logger) : BackgroundService
{
    private const int Batch = 50;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var tick = new PeriodicTimer(options.Value.SlaPollInterval, time);
        try
        {
            do
            {
                await FireDueAsync(stoppingToken);
            }
            while (await tick.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    internal async Task FireDueAsync(CancellationToken cancellationToken)
    {
        try
        {
            foreach (var timer in await timers.TakeDueAsync(time.GetUtcNow(), Batch, cancellationToken))
            {
                try
                {
                    await sla.FireAsync(timer, cancellationToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogFailed(logger, ex, timer.EscalationId);
                }
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogUnavailable(logger, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "SLA timer of {Id} could not be sent")]
    private static partial void LogFailed(ILogger logger, Exception exception, string id);

    [LoggerMessage(Level = LogLevel.Warning, Message = "SLA timers unavailable; retrying on the next tick")]
    private static partial void LogUnavailable(ILogger logger, Exception exception);
}
