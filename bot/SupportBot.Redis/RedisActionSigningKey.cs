using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using SupportBot.Core.Escalations;

namespace SupportBot.Redis;

/// <summary>
/// The button-signing key shared by every replica: <c>Escalation:ActionSigningKey</c> when set, else generated
/// once and stored with SET NX under <c>{secrets}:action-signing-key</c> (kept until rotated: deleting it
/// invalidates the buttons already posted).
/// </summary>
internal sealed class RedisActionSigningKey(IConnectionMultiplexer redis, RedisKeys keys, IOptions<EscalationOptions> options) : IActionSigningKeySource
{
    private byte[]? _key;

    public async ValueTask<byte[]> GetAsync(CancellationToken cancellationToken)
    {
        if ((_key ?? options.Value.SigningKeyBytes) is { } known)
        {
            return _key = known;
        }

        var db = redis.GetDatabase();
        await db.StringSetAsync(keys.ActionSigningKey, RandomNumberGenerator.GetBytes(32), when: When.NotExists).WaitAsync(cancellationToken);
        var stored = await db.StringGetAsync(keys.ActionSigningKey).WaitAsync(cancellationToken);
        return _key = (byte[])stored!;
    }
}
