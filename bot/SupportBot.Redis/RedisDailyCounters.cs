using System.Globalization;
using StackExchange.Redis;
using SupportBot.Core.Channels;

namespace SupportBot.Redis;

/// <summary>Daily counters shared by every replica: one key per name and UTC day, expiring two days after its last count.</summary>
internal sealed class RedisDailyCounters(IConnectionMultiplexer redis, RedisKeys keys) : IDailyCounters
{
    private static readonly TimeSpan Keep = TimeSpan.FromDays(2);

    public async Task<long> IncrementAsync(string name, DateOnly day, CancellationToken cancellationToken)
    {
        var key = keys.DailyCounter(name, day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        var batch = redis.GetDatabase().CreateBatch();
        var count = batch.StringIncrementAsync(key);
        var expire = batch.KeyExpireAsync(key, Keep);
        batch.Execute();
        await Task.WhenAll(count, expire).WaitAsync(cancellationToken);
        return await count;
    }
}
