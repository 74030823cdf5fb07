using System.Runtime.CompilerServices;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using SupportBot.Core.Conversations;
using SupportBot.Core.Queue;
using SupportBot.Core.State;

namespace SupportBot.Tests.Queue;

public sealed class InboundGatewayTests
{
    private readonly FakeTimeProvider _time = new();

    private static InboundMessage Message(string id, string text = "Why is my payout late?") =>
        new(id, new ConversationRef("web", "local", "t"), "u1", "Ann", text, DateTimeOffset.UnixEpoch);

    [Fact]
    public async Task A_retried_delivery_is_queued_once()
    {
        var queue = new ChannelInboundQueue();
        var gateway = new InboundGateway(queue, new InMemoryDeduplicator(_time), Options.Create(new QueueOptions()));

        Assert.Equal(AcceptResult.Accepted, await gateway.AcceptAsync(Message("e1"), default));
        Assert.Equal(AcceptResult.Duplicate, await gateway.AcceptAsync(Message("e1"), default));
        Assert.Equal(AcceptResult.Accepted, await gateway.AcceptAsync(Message("e2"), default));
    }

    [Fact]
    public async Task Card_numbers_are_masked_before_they_are_queued()
    {
        var queue = new ChannelInboundQueue();
        var gateway = new InboundGateway(queue, new InMemoryDeduplicator(_time), Options.Create(new QueueOptions()));

        await gateway.AcceptAsync(Message("e1", "card 4242424242424242 was declined"), default);

        await using var reader = queue.ReadAllAsync(default).GetAsyncEnumerator();
        Assert.True(await reader.MoveNextAsync());
        Assert.Equal("card [card ••••4242] was declined", reader.Current.Message.Text);
    }

    [Fact]
    public async Task A_delivery_that_could_not_be_queued_is_accepted_on_retry()
    {
        var claims = new InMemoryDeduplicator(_time);
        var failing = new FailingQueue();
        var gateway = new InboundGateway(failing, claims, Options.Create(new QueueOptions()));

        await Assert.ThrowsAsync<InvalidOperationException>(() => gateway.AcceptAsync(Message("e1"), default).AsTask());

        var working = new InboundGateway(new ChannelInboundQueue(), claims, Options.Create(new QueueOptions()));
        Assert.Equal(AcceptResult.Accepted, await working.AcceptAsync(Message("e1"), default));
    }

    private sealed class FailingQueue : IInboundQueue
    {
        public ValueTask EnqueueAsync(InboundMessage message, CancellationToken cancellationToken) => throw new InvalidOperationException("store down");

        public async IAsyncEnumerable<QueuedMessage> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await Task.CompletedTask;
            yield break;
        }

        public ValueTask CompleteAsync(QueuedMessage message, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }
}
