using StackExchange.Redis;
using SupportBot.Core.State;
using SupportBot.Core.Surfaces;

namespace SupportBot.Redis;

/// <summary>
/// The outbox in Redis: one string per reply, <c>-</c> while only intended, <c>channel␊id</c> once posted, expiring
/// after <see cref="IReplyOutbox.Retention"/>. Reading the earlier entry and recording the intent is one script.
/// </summary>
internal sealed class RedisReplyOutbox(IConnectionMultiplexer redis, RedisKeys keys) : IReplyOutbox
{
    private const string Intended = "-";

    private static readonly LuaScript GetOrIntend = LuaScript.Prepare(
        "local v = redis.call('GET', @key) if v then return v end " +
        "redis.call('SET', @key, @intended, 'PX', @ttl) return false");

    public async Task<OutboxEntry?> BeginAsync(string key, CancellationToken cancellationToken)
    {
        var earlier = await redis.GetDatabase().ScriptEvaluateAsync(
            GetOrIntend, new { key = keys.Outbox(key), intended = Intended, ttl = (long)IReplyOutbox.Retention.TotalMilliseconds }).WaitAsync(cancellationToken);
        if (earlier.IsNull)
        {
            return null;
        }

        var value = (string)earlier!;
        var split = value.IndexOf('\n', StringComparison.Ordinal);
        return split < 0 ? new OutboxEntry(null) : new OutboxEntry(new PostedReply(value[..split], value[(split + 1)..]));
    }

    public Task RecordPostedAsync(string key, PostedReply posted, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(posted);
        return redis.GetDatabase().StringSetAsync(keys.Outbox(key), $"{posted.Channel}\n{posted.Id}", IReplyOutbox.Retention).WaitAsync(cancellationToken);
    }
}
