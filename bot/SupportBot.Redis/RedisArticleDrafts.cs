using System.Text.Json;
using StackExchange.Redis;
using SupportBot.Core.Articles;

namespace SupportBot.Redis;

/// <summary>The review queue: one hash of drafts by id (JSON). Kept until a lead deletes them: they are work in progress.</summary>
internal sealed class RedisArticleDrafts(IConnectionMultiplexer redis, RedisKeys keys) : IArticleDrafts
{
    public async Task<bool> AddAsync(ArticleDraft draft, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(draft);
        return await redis.GetDatabase().HashSetAsync(keys.ArticleDrafts, draft.Id, Json(draft), When.NotExists).WaitAsync(cancellationToken);
    }

    public async Task<ArticleDraft?> GetAsync(string id, CancellationToken cancellationToken)
    {
        var value = await redis.GetDatabase().HashGetAsync(keys.ArticleDrafts, id).WaitAsync(cancellationToken);
        return value.IsNullOrEmpty ? null : JsonSerializer.Deserialize((string)value!, RedisJson.Default.ArticleDraft);
    }

    public async Task<IReadOnlyList<ArticleDraft>> ListAsync(CancellationToken cancellationToken)
    {
        var values = await redis.GetDatabase().HashValuesAsync(keys.ArticleDrafts).WaitAsync(cancellationToken);
        return [.. values.Select(v => JsonSerializer.Deserialize((string)v!, RedisJson.Default.ArticleDraft)).OfType<ArticleDraft>().OrderByDescending(d => d.CreatedAt)];
    }

    public Task SaveAsync(ArticleDraft draft, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(draft);
        return redis.GetDatabase().HashSetAsync(keys.ArticleDrafts, draft.Id, Json(draft)).WaitAsync(cancellationToken);
    }

    public Task<bool> DeleteAsync(string id, CancellationToken cancellationToken) =>
        redis.GetDatabase().HashDeleteAsync(keys.ArticleDrafts, id).WaitAsync(cancellationToken);

    private static string Json(ArticleDraft draft) => JsonSerializer.Serialize(draft, RedisJson.Default.ArticleDraft);
}
