using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace SupportBot.Core.Escalations;

/// <summary>Where the key that signs escalation buttons comes from.</summary>
public interface IActionSigningKeySource
{
    ValueTask<byte[]> GetAsync(CancellationToken cancellationToken);
}

/// <summary>
/// <c>Escalation:ActionSigningKey</c> when set; otherwise a random key for this process (the in-memory default,
/// one process). The Redis project replaces it with a key generated once and shared by every replica.
/// </summary>
internal sealed class ConfiguredOrRandomSigningKey(IOptions<EscalationOptions> options) : IActionSigningKeySource
{
    private readonly byte[] _key = options.Value.SigningKeyBytes ?? RandomNumberGenerator.GetBytes(32);

    public ValueTask<byte[]> GetAsync(CancellationToken cancellationToken) => ValueTask.FromResult(_key);
}

/// <summary>
/// Signs what an escalation button acts on together with where it may be pressed (HMAC-SHA256), so that a
/// value cannot be forged, altered, or replayed from another thread, and buttons of a thread an escalation
/// has moved away from stop working. The value stays short: payload, a tilde, 22 characters of MAC.
/// </summary>
public sealed class EscalationActionSigner(IActionSigningKeySource keys)
{
    private const char Separator = '~';
    private const int MacBytes = 16;

    /// <summary><paramref name="payload"/> with a MAC over it and <paramref name="binding"/> (what it is bound to).</summary>
    public async ValueTask<string> SignAsync(string payload, string binding, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(payload);
        return $"{payload}{Separator}{Convert.ToBase64String(await MacAsync(payload, binding, cancellationToken)).TrimEnd('=').Replace('+', '-').Replace('/', '_')}";
    }

    /// <summary>The payload when <paramref name="value"/> carries a valid MAC for <paramref name="binding"/>; null otherwise.</summary>
    public async ValueTask<string?> VerifyAsync(string? value, string binding, CancellationToken cancellationToken)
    {
        var at = value?.LastIndexOf(Separator) ?? -1;
        if (value is null || at <= 0)
        {
            return null;
        }

        var payload = value[..at];
        var expected = await SignAsync(payload, binding, cancellationToken);
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(value)) ? payload : null;
    }

    /// <summary>The payload of a value, unverified (for choosing what to verify against).</summary>
    public static string? PayloadOf(string? value)
    {
        var at = value?.LastIndexOf(Separator) ?? -1;
        return at > 0 ? value![..at] : null;
    }

    private async ValueTask<byte[]> MacAsync(string payload, string binding, CancellationToken cancellationToken)
    {
        var key = await keys.GetAsync(cancellationToken);
        var mac = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{payload}\n{binding}"));
        return mac[..MacBytes];
    }
}
