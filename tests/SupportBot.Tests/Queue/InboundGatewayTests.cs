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
        var queue = new ChannelInboundQueue(Options.Create(new QueueOptions()), new InMemoryDeduplicator(_time));
        var gateway = new InboundGateway(queue, Options.Create(new QueueOptions()), TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger<InboundGateway>.Instance);

        Assert.Equal(AcceptResult.Accepted, await gateway.AcceptAsync(Message("e1"), default));
        Assert.Equal(AcceptResult.Duplicate, await gateway.AcceptAsync(Message("e1"), default));
        Assert.Equal(AcceptResult.Accepted, await gateway.AcceptAsync(Message("e2"), default));
    }

    [Fact]
    public async Task Card_numbers_are_masked_before_they_are_queued()
    {
        var queue = new ChannelInboundQueue(Options.Create(new QueueOptions()), new InMemoryDeduplicator(_time));
        var gateway = new InboundGateway(queue, Options.Create(new QueueOptions()), TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger<InboundGateway>.Instance);

        await gateway.AcceptAsync(Message("e1", "card 4242424242424242 was declined"), default);

        await using var reader = queue.ReadAllAsync(default).GetAsyncEnumerator();
        Assert.True(await reader.MoveNextAsync());
        Assert.Equal("card [card ••••4242] was declined", reader.Current.Message.Text);
    }

    [Fact]
    public async Task A_full_queue_refuses_new_deliveries_keeps_what_it_acknowledged_and_takes_the_retry_once_there_is_room()
    {
        var claims = new InMemoryDeduplicator(_time);
        var options = Options.Create(new QueueOptions { MaxBacklog = 2 });
        var queue = new ChannelInboundQueue(options, claims);
        var gateway = new InboundGateway(queue, options, TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger<InboundGateway>.Instance);

        Assert.Equal(AcceptResult.Accepted, await gateway.AcceptAsync(Message("e1"), default));
        Assert.Equal(AcceptResult.Accepted, await gateway.AcceptAsync(Message("e2"), default));
        await Assert.ThrowsAsync<InboundBacklogFullException>(() => gateway.AcceptAsync(Message("e3"), default).AsTask());
        Assert.Equal(2, await queue.BacklogAsync(default));

        // Both acknowledged messages are still there; once one is answered the retry of e3 is taken.
        await using var reader = queue.ReadAllAsync(default).GetAsyncEnumerator();
        Assert.True(await reader.MoveNextAsync());
        Assert.Equal("e1", reader.Current.Message.Id);
        await queue.CompleteAsync(reader.Current, default);
        Assert.Equal(AcceptResult.Accepted, await gateway.AcceptAsync(Message("e3"), default));
        Assert.True(await reader.MoveNextAsync());
        Assert.Equal("e2", reader.Current.Message.Id);
        Assert.True(await reader.MoveNextAsync());
        Assert.Equal("e3", reader.Current.Message.Id);
    }

    [Fact]
    public async Task A_closed_in_process_queue_refuses_new_deliveries_for_a_retry_and_still_hands_out_what_it_holds()
    {
        var claims = new InMemoryDeduplicator(_time);
        var options = Options.Create(new QueueOptions());
        var queue = new ChannelInboundQueue(options, claims);
        var gateway = new InboundGateway(queue, options, TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger<InboundGateway>.Instance);
        Assert.Equal(AcceptResult.Accepted, await gateway.AcceptAsync(Message("e1"), default));
        Assert.Equal(AcceptResult.Accepted, await gateway.AcceptAsync(Message("e2"), default));

        queue.Close();

        await Assert.ThrowsAsync<InboundQueueClosedException>(() => gateway.AcceptAsync(Message("e3"), default).AsTask());
        var read = new List<string>();
        await foreach (var item in queue.ReadAllAsync(default))
        {
            read.Add(item.Message.Id); // the reading ends by itself once what was held has been read
        }

        Assert.Equal(["e1", "e2"], read);

        // e3 was not acknowledged: its claim was released, so the platform's retry is taken by a serving replica.
        var serving = new InboundGateway(new ChannelInboundQueue(options, claims), options, TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger<InboundGateway>.Instance);
        Assert.Equal(AcceptResult.Accepted, await serving.AcceptAsync(Message("e3"), default));
    }

    [Fact]
    public void By_default_a_dead_replicas_work_is_taken_over_within_30_seconds_and_a_live_claim_outlives_its_renewal()
    {
        var options = new QueueOptions();

        Assert.True(options.LeaseTimeout + options.ReclaimInterval <= TimeSpan.FromSeconds(30), $"{options.LeaseTimeout} + {options.ReclaimInterval}");
        Assert.True(options.ClaimLease > options.ReclaimInterval * 2, "a claim would lapse between two renewals");
        Assert.True(options.ClaimLease < options.LeaseTimeout, "a dead worker's claim must lapse before its entry can be taken over");
    }
}
