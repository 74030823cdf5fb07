using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using SupportBot.Core.Conversations;
using SupportBot.Core.State;

namespace SupportBot.Tests.Conversations;

public sealed class InMemoryStateTests
{
    private static readonly ConversationRef Thread = new("web", "local", "t1");
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-11-25T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    [Fact]
    public async Task History_keeps_only_the_newest_turns()
    {
        var store = new InMemoryConversationStore(Options.Create(new ConversationOptions { HistoryLimit = 3 }), _time);
        for (var i = 1; i <= 5; i++)
        {
            await store.AppendAsync(Thread, new ConversationTurn(Speaker.User, $"turn {i}", _time.GetUtcNow()), default);
        }

        var history = await store.GetHistoryAsync(Thread, default);
        Assert.Equal(["turn 3", "turn 4", "turn 5"], history.Select(t => t.Text));
    }

    [Fact]
    public async Task Idle_threads_expire()
    {
        var store = new InMemoryConversationStore(Options.Create(new ConversationOptions { HistoryTtl = TimeSpan.FromHours(1) }), _time);
        await store.AppendAsync(Thread, new ConversationTurn(Speaker.User, "hello", _time.GetUtcNow()), default);

        _time.Advance(TimeSpan.FromMinutes(59));
        Assert.Single(await store.GetHistoryAsync(Thread, default));
        _time.Advance(TimeSpan.FromMinutes(2));
        Assert.Empty(await store.GetHistoryAsync(Thread, default));
    }

    [Fact]
    public async Task A_claim_has_one_winner_until_it_expires_or_is_released()
    {
        var claims = new InMemoryDeduplicator(_time);

        Assert.True(await claims.TryClaimAsync("k", TimeSpan.FromMinutes(1), default));
        Assert.False(await claims.TryClaimAsync("k", TimeSpan.FromMinutes(1), default));
        _time.Advance(TimeSpan.FromMinutes(2));
        Assert.True(await claims.TryClaimAsync("k", TimeSpan.FromMinutes(1), default));
        await claims.ReleaseAsync("k", default);
        Assert.True(await claims.TryClaimAsync("k", TimeSpan.FromMinutes(1), default));
    }

    [Fact]
    public async Task A_processing_claim_renewed_every_quarter_lease_outlives_its_lease_and_lapses_once_renewals_stop()
    {
        var claims = new InMemoryDeduplicator(_time);
        var options = new SupportBot.Core.Queue.QueueOptions();
        Assert.True(await claims.TryClaimAsync("processing:slack:Ev1", options.ClaimLease, default));

        // A slow answer: the worker renews every ReclaimInterval, for four whole leases.
        for (var elapsed = TimeSpan.Zero; elapsed < options.ClaimLease * 4; elapsed += options.ReclaimInterval)
        {
            _time.Advance(options.ReclaimInterval);
            Assert.True(await claims.RenewAsync("processing:slack:Ev1", options.ClaimLease, default));
            Assert.False(await claims.TryClaimAsync("processing:slack:Ev1", options.ClaimLease, default)); // nobody else takes it
        }

        // The worker died: no more renewals, and once the lease lapses another may take it.
        _time.Advance(options.ClaimLease - TimeSpan.FromMilliseconds(1));
        Assert.False(await claims.TryClaimAsync("processing:slack:Ev1", options.ClaimLease, default));
        _time.Advance(TimeSpan.FromMilliseconds(2));
        Assert.False(await claims.RenewAsync("processing:slack:Ev1", options.ClaimLease, default));
        Assert.True(await claims.TryClaimAsync("processing:slack:Ev1", options.ClaimLease, default));

        // Done: held for the dedupe window, never renewed as if in progress.
        await claims.HoldAsync("processing:slack:Ev1", options.DedupeWindow, default);
        Assert.True(await claims.IsDoneAsync("processing:slack:Ev1", default));
        Assert.False(await claims.RenewAsync("processing:slack:Ev1", options.ClaimLease, default));
    }

    [Fact]
    public async Task Expired_claims_are_retired_as_new_ones_arrive_and_renewed_ones_are_kept()
    {
        var claims = new InMemoryDeduplicator(_time);
        for (var i = 0; i < 100; i++)
        {
            Assert.True(await claims.TryClaimAsync($"old-{i}", TimeSpan.FromMinutes(1), default));
        }

        await claims.HoldAsync("old-0", TimeSpan.FromHours(1), default); // Renewed: its first expiry must not drop it.
        _time.Advance(TimeSpan.FromMinutes(2));
        for (var i = 0; i < 100; i++)
        {
            Assert.True(await claims.TryClaimAsync($"new-{i}", TimeSpan.FromMinutes(10), default));
        }

        Assert.Equal(101, claims.Count);
        Assert.False(await claims.TryClaimAsync("old-0", TimeSpan.FromMinutes(1), default));
    }

    [Fact]
    public async Task Concurrent_claims_have_exactly_one_winner()
    {
        var claims = new InMemoryDeduplicator(_time);
        var results = await Task.WhenAll(Enumerable.Range(0, 64).Select(_ => Task.Run(() => claims.TryClaimAsync("race", TimeSpan.FromMinutes(1), default))));

        Assert.Equal(1, results.Count(r => r));
    }

    [Fact]
    public async Task Reply_log_numbers_replies_and_reads_after_a_sequence()
    {
        var log = new InMemoryReplyLog(Options.Create(new ConversationOptions()), _time);
        var reply = SupportBot.Core.Surfaces.Reply.Notice("hi");
        Assert.Equal(1, await log.AppendAsync(Thread, "m1", reply, default));
        Assert.Equal(2, await log.AppendAsync(Thread, "m2", reply, default));

        var after = await log.ReadAfterAsync(Thread, 1, default);
        Assert.Equal("m2", Assert.Single(after).InReplyTo);
    }
}
