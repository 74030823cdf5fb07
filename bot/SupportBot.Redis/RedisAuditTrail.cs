using System.Text.Json;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using SupportBot.Core.Audit;
using SupportBot.Core.State;

namespace SupportBot.Redis;

/// <summary>
/// The audit trail in one sorted set scored by time: every write drops entries older than
/// <c>Retention:Audit</c> and sets the key to expire after it, so nothing outlives the retention.
/// </summary>
internal sealed class RedisAuditTrail(IConnectionMultiplexer redis, RedisKeys keys, IOptions<RetentionOptions> retention, TimeProvider time) : IAuditTrail
{
    public async Task RecordAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var keep = retention.Value.Audit;
        var oldest = (time.GetUtcNow() - keep).ToUnixTimeMilliseconds();

        // A unique member: two identical lookups in one millisecond are still two entries.
        var member = Guid.NewGuid().ToString("N")[..8] + JsonSerializer.Serialize(entry, RedisJson.Default.AuditEntry);
        var transaction = redis.GetDatabase().CreateTransaction();
        _ = transaction.SortedSetAddAsync(keys.Audit, member, entry.At.ToUnixTimeMilliseconds());
        _ = transaction.SortedSetRemoveRangeByScoreAsync(keys.Audit, double.NegativeInfinity, oldest, Exclude.Stop);
        _ = transaction.KeyExpireAsync(keys.Audit, keep);
        await transaction.ExecuteAsync().WaitAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<AuditEntry>> ReadAsync(int count, CancellationToken cancellationToken)
    {
        var oldest = (time.GetUtcNow() - retention.Value.Audit).ToUnixTimeMilliseconds();
        var values = await redis.GetDatabase()
            .SortedSetRangeByScoreAsync(keys.Audit, oldest, double.PositiveInfinity, Exclude.None, Order.Descending, 0, Math.Max(0, count))
            .WaitAsync(cancellationToken);
        return [.. values.Select(v => JsonSerializer.Deserialize(((string)v!)[8..], RedisJson.Default.AuditEntry)).OfType<AuditEntry>()];
    }
}
