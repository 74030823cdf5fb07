using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using SupportBot.Core.Conversations;

namespace SupportBot.Core.Queue;

/// <summary>
/// The embedded default queue: an in-process channel (single process only), holding at most
/// <see cref="QueueOptions.MaxBacklog"/> messages that are queued or being answered. Closed at shutdown, it refuses
/// new messages and the worker answers what it holds before the process ends.
/// </summary>
internal sealed class ChannelInboundQueue(IOptions<QueueOptions> options) : IInboundQueue
{
    private readonly Channel<QueuedMessage> _channel = Channel.CreateUnbounded<QueuedMessage>(new UnboundedChannelOptions { SingleWriter = false });
    private long _sequence;
    private long _backlog;

    public ValueTask EnqueueAsync(InboundMessage message, CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref _backlog) > options.Value.MaxBacklog)
        {
            Interlocked.Decrement(ref _backlog);
            throw new InboundBacklogFullException();
        }

        var id = Interlocked.Increment(ref _sequence).ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (!_channel.Writer.TryWrite(new QueuedMessage(message, id)))
        {
            Interlocked.Decrement(ref _backlog);
            throw new InboundQueueClosedException(); // closed: this replica is shutting down
        }

        return ValueTask.CompletedTask;
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
