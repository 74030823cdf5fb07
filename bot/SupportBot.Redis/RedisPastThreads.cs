using System.Text.Json;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using SupportBot.Core.PastThreads;

namespace SupportBot.Redis;

/// <summary>
/// Past threads kept as knowledge: a hash of JSON documents by id and a sorted set of ids by time (both in the
/// <c>{threads}</c> slot). Each save drops those older than <c>Knowledge:PastThreads:Retention</c> from both.
/// </summary>
internal sealed class RedisPastThreads(IConnectionMultiplexer redis, RedisKeys keys, IOptions<PastThreadsOptions> options, TimeProvider time) : IPastThreads
{
    public async Task SaveAsync(PastThread thread, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(thread);
        var db = redis.GetDatabase();
        var oldest = (time.GetUtcNow() - options.Value.Retention).ToUnixTimeMilliseconds();
        var expired = await db.SortedSetRangeByScoreAsync(keys.PastThreadsByTime, double.NegativeInfinity, oldest, Exclude.Stop).WaitAsync(cancellationToken);
        var batch = db.CreateTransaction();
        _ = batch.HashSetAsync(keys.PastThreads, thread.Id, JsonSerializer.Serialize(thread, RedisJson.Default.PastThread));
        _ = batch.SortedSetAddAsync(keys.PastThreadsByTime, thread.Id, thread.At.ToUnixTimeMilliseconds());
        if (expired.Length > 0)
        {
            _ = batch.HashDeleteAsync(keys.PastThreads, expired);
            _ = batch.SortedSetRemoveAsync(keys.PastThreadsByTime, expired);
        }

        await batch.ExecuteAsync().WaitAsync(cancellationToken);
    }

    public async Task<PastThread?> GetAsync(string id, CancellationToken cancellationToken)
    {
        var value = await redis.GetDatabase().HashGetAsync(keys.PastThreads, id).WaitAsync(cancellationToken);
        return value.IsNullOrEmpty ? null : JsonSerializer.Deserialize((string)value!, RedisJson.Default.PastThread);
    }

    public async Task<IReadOnlyList<PastThread>> ListAsync(CancellationToken cancellationToken)
    {
        var oldest = time.GetUtcNow() - options.Value.Retention;
        var values = await redis.GetDatabase().HashValuesAsync(keys.PastThreads).WaitAsync(cancellationToken);
        return [.. values.Select(v => JsonSerializer.Deserialize((string)v!, RedisJson.Default.PastThread)).OfType<PastThread>().Where(t => t.At >= oldest).OrderByDescending(t => t.At)];
    }

    public async Task<int> RemoveWhereAsync(Func<PastThread, bool> match, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(match);
        var db = redis.GetDatabase();
        var doomed = (await ListAsync(cancellationToken)).Where(match).Select(t => (RedisValue)t.Id).ToArray();
        if (doomed.Length > 0)
        {
            await db.HashDeleteAsync(keys.PastThreads, doomed).WaitAsync(cancellationToken);
            await db.SortedSetRemoveAsync(keys.PastThreadsByTime, doomed).WaitAsync(cancellationToken);
        }

        return doomed.Length;
    }
}
