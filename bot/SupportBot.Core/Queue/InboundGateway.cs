using System.Diagnostics;
using Microsoft.Extensions.Options;
using SupportBot.Core.Conversations;
using SupportBot.Core.Redaction;
using SupportBot.Core.Telemetry;

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
/// Where every surface hands over a message after verifying it: mask sensitive data before anything is stored,
/// then queue it once per delivery across replicas (the queue refuses a duplicate in the same step as the add).
/// Fast: the endpoint acknowledges as soon as this returns.
/// </summary>
public sealed partial class InboundGateway(IInboundQueue queue, IOptions<QueueOptions> options, TimeProvider time, Microsoft.Extensions.Logging.ILogger<InboundGateway> logger)
{
    public async ValueTask<AcceptResult> AcceptAsync(InboundMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        using var activity = SupportBotTelemetry.Source.StartActivity("supportbot.ack");
        var started = time.GetTimestamp();
        var surface = SupportBotTelemetry.Tag("surface", message.Conversation.Surface);
        activity?.SetTag("supportbot.surface", message.Conversation.Surface);
        try
        {
            var added = await queue.EnqueueOnceAsync(Masked(message), DedupeKey(message), options.Value.DedupeWindow, cancellationToken);
            var outcome = added ? "accepted" : "duplicate";
            var outcomeTag = SupportBotTelemetry.Tag("outcome", outcome);
            SupportBotTelemetry.Deliveries.Add(1, surface, outcomeTag);
            SupportBotTelemetry.AckDuration.Record(time.GetElapsedTime(started).TotalSeconds, surface, outcomeTag);
            activity?.SetTag("supportbot.outcome", outcome);
            return added ? AcceptResult.Accepted : AcceptResult.Duplicate;
        }
        catch (Exception ex) when (ex is InboundBacklogFullException or InboundQueueClosedException)
        {
            SupportBotTelemetry.Deliveries.Add(1, surface, SupportBotTelemetry.Tag("outcome", "refused"));
            activity?.SetStatus(ActivityStatusCode.Error, ex.GetType().Name);
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
        SupportBotTelemetry.RefusedForBacklog.Add(1, SupportBotTelemetry.Tag("surface", message.Conversation.Surface));
        LogBacklogFull(logger, message.Conversation.Surface, options.Value.MaxBacklog);
    }

    [Microsoft.Extensions.Logging.LoggerMessage(Level = Microsoft.Extensions.Logging.LogLevel.Warning, Message = "Inbound queue full (Queue:MaxBacklog {MaxBacklog}): a {Surface} delivery was refused with 503 for the platform to retry")]
    private static partial void LogBacklogFull(Microsoft.Extensions.Logging.ILogger logger, string surface, int maxBacklog);

    internal static string DedupeKey(InboundMessage message) => $"inbound:{message.Conversation.Surface}:{message.Id}";
}
