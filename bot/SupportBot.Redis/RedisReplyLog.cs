using System.Text.Json;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using SupportBot.Core.Conversations;
using SupportBot.Core.State;
using SupportBot.Core.Surfaces;

namespace SupportBot.Redis;

/// <summary>Replies per thread in a capped, expiring list; sequence numbers from a per-thread counter.</summary>
internal sealed class RedisReplyLog(IConnectionMultiplexer redis, RedisKeys keys, IOptions<ConversationOptions> options, TimeProvider time) : IReplyLog
{
    public async Task<long> AppendAsync(ConversationRef conversation, string inReplyTo, Reply reply, CancellationToken cancellationToken)
    {
        var db = redis.GetDatabase();
        var ttl = options.Value.HistoryTtl;
        var seq = await db.StringIncrementAsync(keys.ReplySeq(conversation)).WaitAsync(cancellationToken);
        var logged = new LoggedReply(seq, inReplyTo, reply, time.GetUtcNow());

        var key = keys.Replies(conversation);
        var transaction = db.CreateTransaction();
        _ = transaction.ListRightPushAsync(key, JsonSerializer.Serialize(logged, RedisJson.Default.LoggedReply));
        _ = transaction.ListTrimAsync(key, -options.Value.HistoryLimit, -1);
        _ = transaction.KeyExpireAsync(key, ttl);
        _ = transaction.KeyExpireAsync(keys.ReplySeq(conversation), ttl);
        await transaction.ExecuteAsync().WaitAsync(cancellationToken);
        return seq;
    }

    public async Task<IReadOnlyList<LoggedReply>> ReadAfterAsync(ConversationRef conversation, long afterSeq, CancellationToken cancellationToken)
    {
        var values = await redis.GetDatabase().ListRangeAsync(keys.Replies(conversation)).WaitAsync(cancellationToken);
        var replies = new List<LoggedReply>();
        foreach (var value in values)
        {
            if (JsonSerializer.Deserialize((string)value!, RedisJson.Default.LoggedReply) is { } reply && reply.Seq > afterSeq)
            {
                replies.Add(reply);
            }
        }

        return replies;
    }
}
