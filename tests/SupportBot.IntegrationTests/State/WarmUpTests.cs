using StackExchange.Redis;
using SupportBot.IntegrationTests.Infrastructure;
using SupportBot.IntegrationTests.Slack;
using SupportBot.Redis;

namespace SupportBot.IntegrationTests.State;

/// <summary>The warm-up before readiness runs the hot paths and leaves nothing behind: no post, no record, no key.</summary>
[Collection(RedisCollection.Name)]
public sealed class WarmUpTests(SharedRedis redis) : IAsyncLifetime
{
    private readonly string _prefix = SharedRedis.NewPrefix();
    private ConnectionMultiplexer _connection = null!;
    private SlackApiStandIn _slack = null!;

    public async Task InitializeAsync()
    {
        _connection = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
        _slack = await SlackApiStandIn.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _slack.DisposeAsync();
        await _connection.DisposeAsync();
    }

    [Fact]
    public async Task A_warmed_up_replica_is_ready_having_posted_stored_and_counted_nothing()
    {
        await using var host = await BotHost.StartAsync(SlackRequests.Settings(
            _slack, $"Redis:Configuration={redis.Configuration}", $"Redis:KeyPrefix={_prefix}", "WarmUp:Rounds=60"));

        var readiness = await host.Client.GetStringAsync(new Uri("/readyz", UriKind.Relative));
        Assert.Contains("warmed up: 60 rounds in", readiness, StringComparison.Ordinal);
        Assert.Empty(_slack.CallsTo("chat.postMessage"));
        Assert.Empty(_slack.CallsTo("reactions.add"));
        var server = _connection.GetServer(_connection.GetEndPoints()[0]);
        var left = new List<string>();
        await foreach (var key in server.KeysAsync(pattern: $"{_prefix}:*"))
        {
            left.Add(key!);
        }

        // Only what any started replica keeps (the signing key, the queue's consumer group) may exist.
        Assert.DoesNotContain(left, k => k.Contains("warm-up", StringComparison.Ordinal) || k.Contains("{insights}", StringComparison.Ordinal) || k.Contains("{c:", StringComparison.Ordinal));
        Assert.Equal(0, await _connection.GetDatabase().StreamLengthAsync(new RedisKeys(_prefix).Inbox));
    }
}
