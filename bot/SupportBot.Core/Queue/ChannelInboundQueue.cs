using System.Runtime.CompilerServices;
using System.Threading.Channels;
using SupportBot.Core.Conversations;

namespace SupportBot.Core.Queue;

/// <summary>The embedded default queue: an unbounded in-process channel (single process only).</summary>
internal sealed class ChannelInboundQueue : IInboundQueue
{
    private readonly Channel<QueuedMessage> _channel = Channel.CreateUnbounded<QueuedMessage>(new UnboundedChannelOptions { SingleWriter = false });
    private long _sequence;

    public ValueTask EnqueueAsync(InboundMessage message, CancellationToken cancellationToken)
    {
        var id = Interlocked.Increment(ref _sequence).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return _channel.Writer.WriteAsync(new QueuedMessage(message, id), cancellationToken);
    }

    public async IAsyncEnumerable<QueuedMessage> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var item in _channel.Reader.ReadAllAsync(cancellationToken))
        {
            yield return item;
        }
    }

    public ValueTask CompleteAsync(QueuedMessage message, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
