using System.Globalization;
using StackExchange.Redis;
using SupportBot.Core.State;
using SupportBot.Core.Surfaces;

namespace SupportBot.Redis;

/// <summary>
/// The outbox in Redis: one hash per message (<c>{outbox:surface:id}</c>), a field per reply, <c>-</c> while only
/// intended, <c>channel␊id</c> once posted. Deleted when the message is done; expires after
/// <see cref="IReplyOutbox.Retention"/> otherwise. Reading the earlier entry and recording the intent is one script.
/// </summary>
internal sealed class RedisReplyOutbox(IConnectionMultiplexer redis, RedisKeys keys) : IReplyOutbox
{
    private const string Intended = "-";

    private static readonly LuaScript GetOrIntend = LuaScript.Prepare(
        "local v = redis.call('HGET', @key, @reply) " +
        "if not v then redis.call('HSET', @key, @reply, @intended) end " +
        "redis.call('PEXPIRE', @key, @ttl) return v");

    public async Task<OutboxEntry?> BeginAsync(string message, int reply, CancellationToken cancellationToken)
    {
        var earlier = await redis.GetDatabase().ScriptEvaluateAsync(
            GetOrIntend,
            new { key = keys.Outbox(message), reply = Field(reply), intended = Intended, ttl = (long)IReplyOutbox.Retention.TotalMilliseconds }).WaitAsync(cancellationToken);
        if (earlier.IsNull)
        {
            return null;
        }

        var value = (string)earlier!;
        var split = value.IndexOf('\n', StringComparison.Ordinal);
        return split < 0 ? new OutboxEntry(null) : new OutboxEntry(new PostedReply(value[..split], value[(split + 1)..]));
    }

    public Task RecordPostedAsync(string message, int reply, PostedReply posted, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(posted);
        return redis.GetDatabase().HashSetAsync(keys.Outbox(message), Field(reply), $"{posted.Channel}\n{posted.Id}").WaitAsync(cancellationToken);
    }

    public Task ForgetAsync(string message, CancellationToken cancellationToken) =>
        redis.GetDatabase().KeyDeleteAsync(keys.Outbox(message)).WaitAsync(cancellationToken);

    private static string Field(int reply) => reply.ToString(CultureInfo.InvariantCulture);
}
