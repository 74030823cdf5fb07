using Microsoft.Extensions.Options;
using SupportBot.Core.Conversations;
using SupportBot.Core.Redaction;
using SupportBot.Core.State;

namespace SupportBot.Core.Queue;

/// <summary>How an inbound delivery was taken.</summary>
public enum AcceptResult
{
    /// <summary>Queued: a worker will answer it.</summary>
    Accepted,

    /// <summary>Seen before (a platform retry or a second replica's copy): nothing to do.</summary>
    Duplicate,
}

/// <summary>
/// Where every surface hands over a message after verifying it: refuse duplicates across replicas,
/// mask sensitive data before anything is stored, queue for the worker. Fast: the endpoint
/// acknowledges as soon as this returns.
/// </summary>
public sealed partial class InboundGateway(IInboundQueue queue, IDeduplicator deduplicator, IOptions<QueueOptions> options, Microsoft.Extensions.Logging.ILogger<InboundGateway> logger)
{
    public async ValueTask<AcceptResult> AcceptAsync(InboundMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var key = DedupeKey(message);
        if (queue is IClaimingInboundQueue claiming)
        {
            try
            {
                return await claiming.EnqueueOnceAsync(Masked(message), key, options.Value.DedupeWindow, cancellationToken)
                    ? AcceptResult.Accepted
                    : AcceptResult.Duplicate;
            }
            catch (InboundBacklogFullException)
            {
                ReportBacklogFull(message);
                throw;
            }
        }

        if (!await deduplicator.TryClaimAsync(key, options.Value.DedupeWindow, cancellationToken))
        {
            return AcceptResult.Duplicate;
        }

        try
        {
            await queue.EnqueueAsync(Masked(message), cancellationToken);
            return AcceptResult.Accepted;
        }
        catch (Exception ex)
        {
            // Not queued: let the platform's retry through instead of refusing it as a duplicate.
            await deduplicator.ReleaseAsync(key, CancellationToken.None);
            if (ex is InboundBacklogFullException)
            {
                ReportBacklogFull(message);
            }

            throw;
        }
    }

    private static InboundMessage Masked(InboundMessage message) => message with { Text = SensitiveDataRedactor.Redact(message.Text) };

    private void ReportBacklogFull(InboundMessage message)
    {
        QueueMetrics.RefusedForBacklog.Add(1, new KeyValuePair<string, object?>("surface", message.Conversation.Surface));
        LogBacklogFull(logger, message.Conversation.Surface, options.Value.MaxBacklog);
    }

    [Microsoft.Extensions.Logging.LoggerMessage(Level = Microsoft.Extensions.Logging.LogLevel.Warning, Message = "Inbound queue full (Queue:MaxBacklog {MaxBacklog}): a {Surface} delivery was refused with 503 for the platform to retry")]
    private static partial void LogBacklogFull(Microsoft.Extensions.Logging.ILogger logger, string surface, int maxBacklog);

    internal static string DedupeKey(InboundMessage message) => $"inbound:{message.Conversation.Surface}:{message.Id}";
}
