using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace SupportBot.Core.Telemetry;

/// <summary>
/// SupportBot's own traces and metrics, under one name (<see cref="Name"/>) for both: spans for the steps of a
/// message (ack, handle, retrieve, generate, post) and counters of what happened to it. Nothing is recorded unless a
/// listener (OpenTelemetry, <c>dotnet-counters</c>) subscribes; no message text or user id is ever attached.
/// </summary>
public static class SupportBotTelemetry
{
    /// <summary>The <see cref="ActivitySource"/> and <see cref="Meter"/> name.</summary>
    public const string Name = "SupportBot";

    public static readonly ActivitySource Source = new(Name);

    private static readonly Meter Meter = new(Name);

    /// <summary>Deliveries handed to the gateway, by <c>surface</c> and <c>outcome</c> (accepted, duplicate, refused).</summary>
    public static readonly Counter<long> Deliveries = Meter.CreateCounter<long>("supportbot.inbound.deliveries", description: "Deliveries acknowledged, refused as duplicates, or refused for the platform to retry");

    /// <summary>Deliveries refused with 503 because the backlog was full.</summary>
    public static readonly Counter<long> RefusedForBacklog = Meter.CreateCounter<long>("supportbot.inbound.refused_backlog_full", description: "Deliveries refused because the inbound queue was full");

    /// <summary>Time from a message's acknowledgement to the end of its handling, by <c>surface</c>.</summary>
    public static readonly Histogram<double> HandleDuration = Meter.CreateHistogram<double>("supportbot.message.duration", unit: "s", description: "From acknowledgement to handled (queue wait included)");

    /// <summary>
    /// A message's age when a worker takes it: acknowledgement to the start of handling, by <c>surface</c> and
    /// <c>reclaimed</c> (taken over from a replica that stopped). The queue's age as the asker feels it.
    /// </summary>
    public static readonly Histogram<double> QueueWait = Meter.CreateHistogram<double>("supportbot.queue.wait", unit: "s", description: "From acknowledgement to a worker taking the message");

    /// <summary>Questions answered, by <c>surface</c>, <c>outcome</c> (answered, declined, fallback) and <c>provider</c>.</summary>
    public static readonly Counter<long> Answers = Meter.CreateCounter<long>("supportbot.answers", description: "Questions answered, by outcome");

    /// <summary>Feedback on answers, by <c>value</c> (helpful, not_helpful).</summary>
    public static readonly Counter<long> Feedback = Meter.CreateCounter<long>("supportbot.feedback", description: "Helpful / not helpful presses");

    /// <summary>Escalation events, by <c>event</c> (opened, acknowledged, resolved, reassigned) and <c>team</c>.</summary>
    public static readonly Counter<long> Escalations = Meter.CreateCounter<long>("supportbot.escalations", description: "Escalations opened, acknowledged, resolved, reassigned");

    /// <summary>SLA breaches, by <c>kind</c> (acknowledge, resolve) and <c>team</c>.</summary>
    public static readonly Counter<long> SlaBreaches = Meter.CreateCounter<long>("supportbot.sla.breaches", description: "Escalation SLAs breached");

    /// <summary>The gateway's share of an acknowledgement (mask, claim, queue), by <c>surface</c> and <c>outcome</c>.</summary>
    public static readonly Histogram<double> AckDuration = Meter.CreateHistogram<double>("supportbot.inbound.ack.duration", unit: "s", description: "Masking, claiming and queueing one delivery");

    private static long _queueDepth = -1;

    /// <summary>Messages acknowledged and not yet handled, as last sampled (<see cref="RecordQueueDepth"/>).</summary>
    public static readonly ObservableGauge<long> QueueDepth = Meter.CreateObservableGauge(
        "supportbot.queue.depth",
        () => Interlocked.Read(ref _queueDepth) is var depth and >= 0 ? [new Measurement<long>(depth)] : Array.Empty<Measurement<long>>(),
        description: "Messages acknowledged and not yet handled (queued or being answered)");

    public static void RecordQueueDepth(long depth) => Interlocked.Exchange(ref _queueDepth, depth);

    public static KeyValuePair<string, object?> Tag(string name, object? value) => new(name, value);
}
