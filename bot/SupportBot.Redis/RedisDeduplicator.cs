using StackExchange.Redis;
using SupportBot.Core.State;

namespace SupportBot.Redis;

/// <summary>Claims as <c>SET NX</c> with an expiry: one winner across every replica. 1 is claimed, 2 is done.</summary>
internal sealed class RedisDeduplicator(IConnectionMultiplexer redis, RedisKeys keys) : IDeduplicator
{
    private static readonly LuaScript RenewInProgress = LuaScript.Prepare(
        "if redis.call('GET', @key) == '1' then return redis.call('PEXPIRE', @key, @ttl) end return 0");

    public Task<bool> TryClaimAsync(string key, TimeSpan ttl, CancellationToken cancellationToken) =>
        redis.GetDatabase().StringSetAsync(keys.Claim(key), 1, ttl, When.NotExists).WaitAsync(cancellationToken);

    public Task HoldAsync(string key, TimeSpan ttl, CancellationToken cancellationToken) =>
        redis.GetDatabase().StringSetAsync(keys.Claim(key), 2, ttl).WaitAsync(cancellationToken);

    public async Task<bool> RenewAsync(string key, TimeSpan ttl, CancellationToken cancellationToken)
    {
        var renewed = await redis.GetDatabase().ScriptEvaluateAsync(RenewInProgress, new { key = keys.Claim(key), ttl = (long)ttl.TotalMilliseconds }).WaitAsync(cancellationToken);
        return (long)renewed == 1;
    }

    public async Task<bool> IsDoneAsync(string key, CancellationToken cancellationToken) =>
        await redis.GetDatabase().StringGetAsync(keys.Claim(key)).WaitAsync(cancellationToken) == 2;

    public Task ReleaseAsync(string key, CancellationToken cancellationToken) =>
        redis.GetDatabase().KeyDeleteAsync(keys.Claim(key)).WaitAsync(cancellationToken);
}
