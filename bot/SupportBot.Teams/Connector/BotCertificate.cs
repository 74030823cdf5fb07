using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SupportBot.Teams.Connector;

/// <summary>
/// The bot registration's certificate, read from <c>Teams:CertificatePath</c>: PEM (certificate and private key in one
/// file, or the key in <c>Teams:CertificateKeyPath</c>) or PKCS#12 (<c>.pfx</c>/<c>.p12</c>, with <c>Teams:CertificatePassword</c>).
/// </summary>
internal static class BotCertificate
{
    /// <summary>The certificate with its private key, or null and why not (never the password or key material).</summary>
    public static X509Certificate2? TryLoad(TeamsOptions options, out string problem)
    {
        ArgumentNullException.ThrowIfNull(options);
        var path = options.CertificatePath;
        problem = string.Empty;
        if (string.IsNullOrWhiteSpace(path))
        {
            problem = "is not set.";
            return null;
        }

        X509Certificate2 certificate;
        try
        {
            certificate = Load(path, options.CertificateKeyPath, options.CertificatePassword);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
        {
            problem = $"'{path}' could not be read as a certificate with its private key: {e.Message}";
            return null;
        }

        if (!certificate.HasPrivateKey)
        {
            certificate.Dispose();
            problem = $"'{path}' holds no private key; give the key in the same file or in Teams:CertificateKeyPath.";
            return null;
        }

        return certificate;
    }

    /// <summary>Why the configured certificate cannot be used, or null when it can (checked at start).</summary>
    public static string? Problem(TeamsOptions options)
    {
        using var certificate = TryLoad(options, out var problem);
        return certificate is null ? problem : null;
    }

    public static X509Certificate2 Load(TeamsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return TryLoad(options, out var problem) ?? throw new InvalidOperationException($"Teams:CertificatePath {problem}");
    }

    /// <summary>When the files last changed, so a rotated certificate is picked up without a restart.</summary>
    public static DateTime LastChanged(TeamsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var changed = File.GetLastWriteTimeUtc(options.CertificatePath!);
        return string.IsNullOrWhiteSpace(options.CertificateKeyPath) ? changed : Max(changed, File.GetLastWriteTimeUtc(options.CertificateKeyPath));
    }

    private static DateTime Max(DateTime a, DateTime b) => a > b ? a : b;

    private static X509Certificate2 Load(string path, string? keyPath, string? password)
    {
        var extension = Path.GetExtension(path);
        if (extension.Equals(".pfx", StringComparison.OrdinalIgnoreCase) || extension.Equals(".p12", StringComparison.OrdinalIgnoreCase))
        {
            return X509CertificateLoader.LoadPkcs12FromFile(path, password, X509KeyStorageFlags.EphemeralKeySet);
        }

        var key = string.IsNullOrWhiteSpace(keyPath) ? null : keyPath;
        return string.IsNullOrEmpty(password)
            ? X509Certificate2.CreateFromPemFile(path, key)
            : X509Certificate2.CreateFromEncryptedPemFile(path, password, key);
    }
}
