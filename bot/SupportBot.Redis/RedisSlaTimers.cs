using System.Text.Json;
using StackExchange.Redis;
using SupportBot.Core.Escalations;

namespace SupportBot.Redis;

/// <summary>
/// SLA timers in one sorted set scored by due time. A replica takes a due timer by removing it
/// (<c>ZREM</c> answers 1 to exactly one caller), so each reminder is sent once across replicas.
/// </summary>
internal sealed class RedisSlaTimers(IConnectionMultiplexer redis, RedisKeys keys) : ISlaTimers
{
    public Task ScheduleAsync(SlaTimer timer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timer);
        return redis.GetDatabase()
            .SortedSetAddAsync(keys.SlaTimers, JsonSerializer.Serialize(timer, RedisJson.Default.SlaTimer), timer.Due.ToUnixTimeMilliseconds())
            .WaitAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<SlaTimer>> TakeDueAsync(DateTimeOffset now, int max, CancellationToken cancellationToken)
    {
        var db = redis.GetDatabase();
        var due = await db.SortedSetRangeByScoreAsync(keys.SlaTimers, double.NegativeInfinity, now.ToUnixTimeMilliseconds(), take: max).WaitAsync(cancellationToken);
        var taken = new List<SlaTimer>(due.Length);
        foreach (var member in due)
        {
            if (await db.SortedSetRemoveAsync(keys.SlaTimers, member).WaitAsync(cancellationToken) &&
                JsonSerializer.Deserialize((string)member!, RedisJson.Default.SlaTimer) is { } timer)
            {
                taken.Add(timer);
            }
        }

        return taken;
    }
}
