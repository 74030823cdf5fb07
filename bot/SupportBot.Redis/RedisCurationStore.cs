using System.Text.Json;
using StackExchange.Redis;
using SupportBot.Core.Curation;

namespace SupportBot.Redis;

/// <summary>
/// Curation in one hash, a field per curated article (its id) holding the state, who set it and when.
/// Operational data kept until changed: a reset deletes the field, and no entry holds message text.
/// Every search reads it at most every few seconds per replica (<see cref="CurationService.RefreshAfter"/>).
/// </summary>
internal sealed class RedisCurationStore(IConnectionMultiplexer redis, RedisKeys keys) : ICurationStore
{
    public async Task<IReadOnlyDictionary<string, ArticleCuration>> ReadAllAsync(CancellationToken cancellationToken)
    {
        var fields = await redis.GetDatabase().HashGetAllAsync(keys.Curation).WaitAsync(cancellationToken);
        var entries = new Dictionary<string, ArticleCuration>(fields.Length, StringComparer.Ordinal);
        foreach (var field in fields)
        {
            if (JsonSerializer.Deserialize((string)field.Value!, RedisJson.Default.ArticleCuration) is { } entry)
            {
                entries[(string)field.Name!] = entry;
            }
        }

        return entries;
    }

    public Task SetAsync(ArticleCuration curation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(curation);
        var db = redis.GetDatabase();
        return curation.State == CurationState.Normal
            ? db.HashDeleteAsync(keys.Curation, curation.ArticleId).WaitAsync(cancellationToken)
            : db.HashSetAsync(keys.Curation, curation.ArticleId, JsonSerializer.Serialize(curation, RedisJson.Default.ArticleCuration)).WaitAsync(cancellationToken);
    }
}
