using System.Globalization;
using StackExchange.Redis;
using SupportBot.Core.Configuration;

namespace SupportBot.Redis;

/// <summary>
/// Saved settings documents, one hash each (text, version, savedBy, savedAt). Kept until reverted: they are
/// configuration, like the file they replace.
/// </summary>
internal sealed class RedisSharedDocuments(IConnectionMultiplexer redis, RedisKeys keys, TimeProvider time) : ISharedDocuments
{
    private static readonly LuaScript Save = LuaScript.Prepare(
        """
        local version = redis.call('HINCRBY', @key, 'version', 1)
        redis.call('HSET', @key, 'text', @text, 'savedBy', @savedBy, 'savedAt', @savedAt)
        return version
        """);

    public async Task<SharedDocument?> GetAsync(string name, CancellationToken cancellationToken)
    {
        var fields = await redis.GetDatabase().HashGetAllAsync(keys.SharedDocument(name)).WaitAsync(cancellationToken);
        if (fields.Length == 0)
        {
            return null;
        }

        var values = fields.ToDictionary(f => (string)f.Name!, f => f.Value);
        return values.TryGetValue("text", out var text) && !text.IsNull
            ? new SharedDocument(
                (string)text!,
                (long)values.GetValueOrDefault("version"),
                (string?)values.GetValueOrDefault("savedBy") ?? string.Empty,
                DateTimeOffset.Parse((string?)values.GetValueOrDefault("savedAt") ?? "2000-01-01T00:00:00Z", CultureInfo.InvariantCulture))
            : null;
    }

    public async Task<SharedDocument> SaveAsync(string name, string text, string savedBy, CancellationToken cancellationToken)
    {
        var at = time.GetUtcNow();
        var version = (long)await redis.GetDatabase().ScriptEvaluateAsync(Save, new
        {
            key = keys.SharedDocument(name),
            text,
            savedBy,
            savedAt = at.ToString("O", CultureInfo.InvariantCulture),
        }).WaitAsync(cancellationToken);
        return new SharedDocument(text, version, savedBy, at);
    }

    public Task DeleteAsync(string name, CancellationToken cancellationToken) =>
        redis.GetDatabase().KeyDeleteAsync(keys.SharedDocument(name)).WaitAsync(cancellationToken);
}
