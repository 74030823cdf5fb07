using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace SupportBot.Slack.Signing;

/// <summary>The outcome of checking a request's Slack signature.</summary>
internal enum SignatureCheck
{
    Valid,

    /// <summary>No <c>X-Slack-Signature</c> or <c>X-Slack-Request-Timestamp</c>.</summary>
    Missing,

    /// <summary>The timestamp is more than five minutes from now (a replay, or a skewed clock).</summary>
    Stale,

    /// <summary>The signature does not match the body.</summary>
    Invalid,
}

/// <summary>
/// Slack's request signing: <c>v0=</c> + hex HMAC-SHA256 of <c>v0:{timestamp}:{raw body}</c> keyed with the
/// signing secret, compared in constant time; timestamps more than five minutes away are refused so a
/// captured request cannot be replayed.
/// </summary>
internal sealed class SlackSignatureVerifier(string signingSecret, TimeProvider time)
{
    public const string SignatureHeader = "X-Slack-Signature";
    public const string TimestampHeader = "X-Slack-Request-Timestamp";
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(5);

    private const string Version = "v0";
    private readonly byte[] _key = Encoding.UTF8.GetBytes(signingSecret);

    // One keyed HMAC per thread, reset after each use: creating one per request costs more than hashing.
    [ThreadStatic]
    private static IncrementalHash? t_hmac;
    [ThreadStatic]
    private static byte[]? t_hmacKey;

    public SignatureCheck Verify(string? timestamp, string? signature, ReadOnlySpan<byte> body)
    {
        if (string.IsNullOrEmpty(timestamp) || string.IsNullOrEmpty(signature))
        {
            return SignatureCheck.Missing;
        }

        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return SignatureCheck.Invalid;
        }

        var age = time.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(seconds, 0, 253_402_300_799));
        if (age.Duration() > MaxAge)
        {
            return SignatureCheck.Stale;
        }

        // "v0=" + 64 hex digits.
        if (signature.Length != 67 || !signature.StartsWith("v0=", StringComparison.Ordinal))
        {
            return SignatureCheck.Invalid;
        }

        Span<byte> given = stackalloc byte[32];
        if (Convert.FromHexString(signature.AsSpan(3), given, out _, out var written) != OperationStatus.Done || written != 32)
        {
            return SignatureCheck.Invalid;
        }

        Span<byte> expected = stackalloc byte[32];
        Compute(timestamp, body, expected);
        return CryptographicOperations.FixedTimeEquals(given, expected) ? SignatureCheck.Valid : SignatureCheck.Invalid;
    }

    /// <summary>The signature Slack would send for <paramref name="body"/> at <paramref name="timestamp"/>.</summary>
    public string Sign(string timestamp, ReadOnlySpan<byte> body)
    {
        Span<byte> mac = stackalloc byte[32];
        Compute(timestamp, body, mac);
        return "v0=" + Convert.ToHexStringLower(mac);
    }

    private void Compute(string timestamp, ReadOnlySpan<byte> body, Span<byte> destination)
    {
        var hmac = t_hmac;
        if (hmac is null || !ReferenceEquals(t_hmacKey, _key))
        {
            hmac?.Dispose();
            hmac = t_hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, _key);
            t_hmacKey = _key;
        }

        Span<byte> prefix = stackalloc byte[Version.Length + 2 + timestamp.Length];
        var n = Encoding.ASCII.GetBytes(Version, prefix);
        prefix[n++] = (byte)':';
        n += Encoding.ASCII.GetBytes(timestamp, prefix[n..]);
        prefix[n++] = (byte)':';
        hmac.AppendData(prefix[..n]);
        hmac.AppendData(body);
        hmac.GetHashAndReset(destination);
    }
}
