using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SupportBot.Core.Conversations;
using SupportBot.Core.State;
using SupportBot.Core.Surfaces;

namespace SupportBot.Core.Queue;

/// <summary>
/// Takes messages off the queue and runs them through the pipeline, <see cref="QueueOptions.Concurrency"/>
/// at a time. A message is answered once: a claim shared by all replicas guards it while it is
/// handled and remembers it afterwards, so a redelivered entry is only acknowledged.
/// </summary>
internal sealed partial class InboundWorker(
    IInboundQueue queue,
    ConversationPipeline pipeline,
    ChatSurfaces surfaces,
    IDeduplicator deduplicator,
    IOptions<QueueOptions> options,
    ILogger<InboundWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.Value.Concurrency, CancellationToken = stoppingToken };
        try
        {
            await Parallel.ForEachAsync(queue.ReadAllAsync(stoppingToken), parallel, HandleAsync);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: leased entries not completed are redelivered to another worker.
        }
    }

    internal async ValueTask HandleAsync(QueuedMessage item, CancellationToken cancellationToken)
    {
        var message = item.Message;
        var key = $"processing:{message.Conversation.Surface}:{message.Id}";
        try
        {
            if (!await deduplicator.TryClaimAsync(key, options.Value.LeaseTimeout, cancellationToken))
            {
                // Handled already (or being handled past its lease): only take it off the queue.
                await queue.CompleteAsync(item, cancellationToken);
                return;
            }

            if (item.Reclaimed)
            {
                LogReclaimed(logger, item.DeliveryId);
            }

            try
            {
                await pipeline.HandleAsync(message, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                LogFailed(logger, ex, message.Conversation.Surface, item.DeliveryId);
                await TryApologiseAsync(message, cancellationToken);
            }

            await deduplicator.HoldAsync(key, options.Value.DedupeWindow, cancellationToken);
            await queue.CompleteAsync(item, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The state store is unreachable: leave the entry leased; it is redelivered later.
            LogStateUnavailable(logger, ex, item.DeliveryId);
        }
    }

    private async Task TryApologiseAsync(InboundMessage message, CancellationToken cancellationToken)
    {
        if (message.Kind != InboundKind.Message)
        {
            return;
        }

        try
        {
            await surfaces.For(message.Conversation).SendAsync(
                message,
                Reply.Notice("Sorry — I ran into a problem answering this. Please try again in a minute."),
                cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogFailed(logger, ex, message.Conversation.Surface, message.Id);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Handling a message from {Surface} failed (delivery {DeliveryId})")]
    private static partial void LogFailed(ILogger logger, Exception exception, string surface, string deliveryId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Took over delivery {DeliveryId} from a worker that stopped")]
    private static partial void LogReclaimed(ILogger logger, string deliveryId);

    [LoggerMessage(Level = LogLevel.Error, Message = "State store unavailable; delivery {DeliveryId} stays queued")]
    private static partial void LogStateUnavailable(ILogger logger, Exception exception, string deliveryId);
}
