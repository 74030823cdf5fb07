using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using SupportBot.Core.Conversations;
using SupportBot.Core.State;

namespace SupportBot.Core.Queue;

/// <summary>
/// The embedded default queue: an in-process channel (single process only), holding at most
/// <see cref="QueueOptions.MaxBacklog"/> messages that are queued or being answered. Closed at shutdown, it refuses
/// new messages and the worker answers what it holds before the process ends. Deliveries are claimed in the
/// <see cref="IDeduplicator"/>; a claim is released when its delivery could not be queued.
/// </summary>
internal sealed class ChannelInboundQueue(IOptions<QueueOptions> options, IDeduplicator deliveries) : IInboundQueue
{
    private readonly Channel<QueuedMessage> _channel = Channel.CreateUnbounded<QueuedMessage>(new UnboundedChannelOptions { SingleWriter = false });
    private long _sequence;
    private long _backlog;

    public async ValueTask<bool> EnqueueOnceAsync(InboundMessage message, string deliveryKey, TimeSpan window, CancellationToken cancellationToken)
    {
        if (!await deliveries.TryClaimAsync(deliveryKey, window, cancellationToken))
        {
            return false;
        }

        if (Interlocked.Increment(ref _backlog) > options.Value.MaxBacklog)
        {
            Interlocked.Decrement(ref _backlog);
            await deliveries.ReleaseAsync(deliveryKey, CancellationToken.None);
            throw new InboundBacklogFullException();
        }

        var id = Interlocked.Increment(ref _sequence).ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (!_channel.Writer.TryWrite(new QueuedMessage(message, id)))
        {
            Interlocked.Decrement(ref _backlog);
            await deliveries.ReleaseAsync(deliveryKey, CancellationToken.None);
            throw new InboundQueueClosedException(); // closed: this replica is shutting down
        }

        return true;
    }

    public void Close() => _channel.Writer.TryComplete();

    public ValueTask<long> BacklogAsync(CancellationToken cancellationToken) => ValueTask.FromResult(Interlocked.Read(ref _backlog));

    public async IAsyncEnumerable<QueuedMessage> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var item in _channel.Reader.ReadAllAsync(cancellationToken))
        {
            yield return item;
        }
    }

    public ValueTask CompleteAsync(QueuedMessage message, CancellationToken cancellationToken)
    {
        Interlocked.Decrement(ref _backlog);
        return ValueTask.CompletedTask;
    }

    // One process: nobody else could take a message over, so there is no lease to renew or hand back.
    public ValueTask RenewAsync(IReadOnlyCollection<QueuedMessage> held, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask HandBackAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
