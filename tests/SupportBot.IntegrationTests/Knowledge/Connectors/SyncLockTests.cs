using SupportBot.IntegrationTests.Infrastructure;
using SupportBot.Knowledge.Connectors;

namespace SupportBot.IntegrationTests.Knowledge.Connectors;

[Collection(RedisCollection.Name)]
public sealed class SyncLockTests(SharedRedis redis) : IAsyncLifetime
{
    private readonly string _work = Path.Combine(Path.GetTempPath(), "supportbot-tests", Guid.NewGuid().ToString("N"));
    private readonly string _prefix = SharedRedis.NewPrefix();
    private HelpCenterStandIn _zendesk = null!;

    public async Task InitializeAsync()
    {
        _zendesk = await HelpCenterStandIn.StartAsync();
        _zendesk.Put(1, "Responding to a chargeback", "<p>Respond within 7 days.</p>", section: 10, updatedAt: 1_700_000_100);
        _zendesk.Put(2, "Payout schedules", "<p>Payouts run daily.</p>", section: 20, updatedAt: 1_700_000_200);
    }

    [Fact]
    public async Task Of_two_replicas_contending_for_a_source_only_one_syncs_it()
    {
        await using var first = Replica();
        await using var second = Replica();
        using var start = new SemaphoreSlim(0, 2);
        var attempted = 0;
        var bothTried = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        // As the scheduler does: run only with the lease. The winner holds it until both have tried.
        async Task<SyncSummary?> ContendAsync(SyncHarness replica)
        {
            await start.WaitAsync();
            await using var lease = await replica.Locks.TryAcquireAsync(KnowledgeSync.LockName("helpcenter"), default);
            if (Interlocked.Increment(ref attempted) == 2)
            {
                bothTried.SetResult();
            }

            await bothTried.Task;
            return lease is null ? null : await replica.RunAsync("helpcenter");
        }

        var runs = new[] { Task.Run(() => ContendAsync(first)), Task.Run(() => ContendAsync(second)) };
        start.Release(2);
        var results = await Task.WhenAll(runs);

        Assert.Single(results, r => r is not null);
        Assert.Single(_zendesk.ExportRequests, r => r.EndsWith("start_time=0", StringComparison.Ordinal));
        Assert.Equal(2, first.Articles().Count);
    }

    [Fact]
    public async Task The_lock_is_released_only_by_its_holder_and_then_free_for_the_other()
    {
        await using var first = Replica();
        await using var second = Replica();
        var name = KnowledgeSync.LockName("helpcenter");

        var held = await first.Locks.TryAcquireAsync(name, default);
        Assert.NotNull(held);
        Assert.Null(await second.Locks.TryAcquireAsync(name, default));

        await using (var probe = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(redis.Configuration))
        {
            var key = $"{_prefix}:{{run:{name}}}:lock";
            var ttl = await probe.GetDatabase().KeyTimeToLiveAsync(key);
            Assert.InRange(ttl!.Value, TimeSpan.FromSeconds(50), TimeSpan.FromSeconds(60));
        }

        await held.DisposeAsync();
        await using var taken = await second.Locks.TryAcquireAsync(name, default);
        Assert.NotNull(taken);
    }

    public async Task DisposeAsync()
    {
        await _zendesk.DisposeAsync();
        try
        {
            Directory.Delete(_work, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private SyncHarness Replica() => new(
        Path.Combine(_work, "shared-index"),
        new Dictionary<string, string?>
        {
            ["Knowledge:Connectors:helpcenter:Type"] = "zendesk",
            ["Knowledge:Connectors:helpcenter:BaseUrl"] = _zendesk.BaseAddress.ToString(),
            ["Knowledge:Connectors:helpcenter:Email"] = HelpCenterStandIn.Email,
            ["Knowledge:Connectors:helpcenter:ApiToken"] = HelpCenterStandIn.Token,
        },
        redis.Configuration,
        _prefix);
}
