using System.Text.Json;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using SupportBot.Core.Conversations;

namespace SupportBot.Redis;

/// <summary>Thread history as a capped, expiring Redis list (one round trip per write).</summary>
internal sealed class RedisConversationStore(IConnectionMultiplexer redis, RedisKeys keys, IOptions<ConversationOptions> options) : IConversationStore
{
    public async Task AppendAsync(ConversationRef conversation, ConversationTurn turn, CancellationToken cancellationToken)
    {
        var key = keys.History(conversation);
        var limit = options.Value.HistoryLimit;
        var transaction = redis.GetDatabase().CreateTransaction();
        _ = transaction.ListRightPushAsync(key, JsonSerializer.Serialize(turn, RedisJson.Default.ConversationTurn));
        _ = transaction.ListTrimAsync(key, -limit, -1);
        _ = transaction.KeyExpireAsync(key, options.Value.HistoryTtl);
        await transaction.ExecuteAsync().WaitAsync(cancellationToken);
        if (turn.UserId is { Length: > 0 } user)
        {
            // Another slot (Cluster): a separate write; it expires with the history it points to.
            var index = keys.UserConversations(user);
            var batch = redis.GetDatabase().CreateBatch();
            var added = batch.SetAddAsync(index, conversation.Key);
            var expiring = batch.KeyExpireAsync(index, options.Value.HistoryTtl);
            batch.Execute();
            await Task.WhenAll(added, expiring).WaitAsync(cancellationToken);
        }
    }

    /// <summary>A hash beside the history, in its slot, expiring like it.</summary>
    public async Task SetContextAsync(ConversationRef conversation, IReadOnlyDictionary<string, string> values, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
        {
            return;
        }

        var key = keys.Context(conversation);
        var transaction = redis.GetDatabase().CreateTransaction();
        _ = transaction.HashSetAsync(key, [.. values.Select(v => new HashEntry(v.Key, v.Value))]);
        _ = transaction.KeyExpireAsync(key, options.Value.HistoryTtl);
        await transaction.ExecuteAsync().WaitAsync(cancellationToken);
    }

    public async Task<IReadOnlyDictionary<string, string>> GetContextAsync(ConversationRef conversation, CancellationToken cancellationToken)
    {
        var entries = await redis.GetDatabase().HashGetAllAsync(keys.Context(conversation)).WaitAsync(cancellationToken);
        return entries.ToDictionary(e => (string)e.Name!, e => (string)e.Value!, StringComparer.Ordinal);
    }

    public async Task<IReadOnlyList<ConversationTurn>> GetHistoryAsync(ConversationRef conversation, CancellationToken cancellationToken)
    {
        var values = await redis.GetDatabase().ListRangeAsync(keys.History(conversation)).WaitAsync(cancellationToken);
        var turns = new List<ConversationTurn>(values.Length);
        foreach (var value in values)
        {
            if (JsonSerializer.Deserialize((string)value!, RedisJson.Default.ConversationTurn) is { } turn)
            {
                turns.Add(turn);
            }
        }

        return turns;
    }
}
