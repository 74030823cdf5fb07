using SupportBot.Core.Conversations;

namespace SupportBot.Core.Queue;

/// <summary>A message leased from the queue; complete it when it has been handled.</summary>
/// <param name="Message">The inbound message.</param>
/// <param name="DeliveryId">The queue's id of this entry (a stream id in Redis).</param>
/// <param name="Reclaimed">True when a dead worker's lease was taken over.</param>
public sealed record QueuedMessage(InboundMessage Message, string DeliveryId, bool Reclaimed = false);

/// <summary>
/// Inbound work between the endpoint that acknowledged a message and the worker that answers it.
/// In-process by default; a Redis Stream with a consumer group when Redis is configured.
/// </summary>
public interface IInboundQueue
{
    /// <summary>
    /// Queues <paramref name="message"/> unless <paramref name="deliveryKey"/> was queued within <paramref name="window"/>
    /// (then false: a platform retry, or another replica's copy), in one step: a delivery is never claimed without
    /// being queued. Throws <see cref="InboundBacklogFullException"/> when <see cref="QueueOptions.MaxBacklog"/> are
    /// waiting and <see cref="InboundQueueClosedException"/> when this replica is shutting down, having claimed
    /// nothing either way, so the platform's retry is taken later.
    /// </summary>
    ValueTask<bool> EnqueueOnceAsync(InboundMessage message, string deliveryKey, TimeSpan window, CancellationToken cancellationToken);

    /// <summary>Messages acknowledged and not yet completed (waiting or being answered).</summary>
    ValueTask<long> BacklogAsync(CancellationToken cancellationToken);

    /// <summary>Leases messages for this worker until cancelled.</summary>
    IAsyncEnumerable<QueuedMessage> ReadAllAsync(CancellationToken cancellationToken);

    /// <summary>Removes a handled message; an uncompleted one is redelivered after its lease times out.</summary>
    ValueTask CompleteAsync(QueuedMessage message, CancellationToken cancellationToken);

    /// <summary>
    /// Shutting down: this replica reads no more. The shared queue (Redis) simply stops handing it messages, which
    /// go to the other replicas; the in-process queue refuses new ones (<see cref="InboundQueueClosedException"/>) and
    /// ends its reading once what it holds has been read.
    /// </summary>
    void Close();

    /// <summary>Renews this worker's lease on messages it is still handling, so no other replica takes them over.</summary>
    ValueTask RenewAsync(IReadOnlyCollection<QueuedMessage> held, CancellationToken cancellationToken);

    /// <summary>
    /// Shutting down: hands every message this worker leased and did not complete back to the queue, for another
    /// replica to take at once instead of after the lease times out.
    /// </summary>
    ValueTask HandBackAsync(CancellationToken cancellationToken);
}
