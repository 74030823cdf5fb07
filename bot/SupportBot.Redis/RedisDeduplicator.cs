using StackExchange.Redis;
using SupportBot.Core.State;

namespace SupportBot.Redis;

/// <summary>Claims as <c>SET NX</c> with an expiry: one winner across every replica.</summary>
internal sealed class RedisDeduplicator(IConnectionMultiplexer redis, RedisKeys keys) : IDeduplicator
{
    public Task<bool> TryClaimAsync(string key, TimeSpan ttl, CancellationToken cancellationToken) =>
        redis.GetDatabase().StringSetAsync(keys.Claim(key), 1, ttl, When.NotExists).WaitAsync(cancellationToken);

    public Task HoldAsync(string key, TimeSpan ttl, CancellationToken cancellationToken) =>
        redis.GetDatabase().StringSetAsync(keys.Claim(key), 2, ttl).WaitAsync(cancellationToken);

    public Task ReleaseAsync(string key, CancellationToken cancellationToken) =>
        redis.GetDatabase().KeyDeleteAsync(keys.Claim(key)).WaitAsync(cancellationToken);
}
