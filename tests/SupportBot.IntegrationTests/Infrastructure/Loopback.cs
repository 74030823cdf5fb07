using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SupportBot.Teams.Connector;

namespace SupportBot.IntegrationTests.Infrastructure;

/// <summary>Local stand-ins of external services: a quiet Kestrel app on a free loopback port.</summary>
public static class Loopback
{
    /// <summary>
    /// The stand-ins' TLS certificate (self-signed for 127.0.0.1), for endpoints the bot only calls over https
    /// (MSAL refuses an http authority). Test hosts trust it for the token client alone; see <see cref="TrustStandInCertificate"/>.
    /// </summary>
    public static X509Certificate2 Certificate => LazyCertificate.Value;

    private static readonly Lazy<X509Certificate2> LazyCertificate = new(CreateCertificate);

    public static WebApplicationBuilder StandInBuilder(bool https = false)
    {
        var builder = WebApplication.CreateSlimBuilder();
        if (https)
        {
            builder.WebHost.ConfigureKestrel(kestrel =>
            {
                kestrel.Listen(IPAddress.Loopback, 0);
                kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(Certificate));
            });
        }
        else
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
        }

        builder.Logging.ClearProviders();
        return builder;
    }

    /// <summary>The address a started app listens on (its plain http one, when it has both).</summary>
    public static Uri AddressOf(WebApplication app) => Addresses(app).OrderBy(a => a.Scheme == Uri.UriSchemeHttps).First();

    /// <summary>The https address of an app started from <c>StandInBuilder(https: true)</c>.</summary>
    public static Uri HttpsAddressOf(WebApplication app) => Addresses(app).First(a => a.Scheme == Uri.UriSchemeHttps);

    /// <summary>
    /// The bot's token client (and nothing else) accepts the stand-ins' certificate besides the machine's trusted ones:
    /// what a deployment does by adding its own CA to the image.
    /// </summary>
    public static void TrustStandInCertificate(IServiceCollection services) =>
        services.AddHttpClient(BotTokenProvider.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
        {
            SslOptions = { RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                errors == System.Net.Security.SslPolicyErrors.None || certificate?.GetCertHashString() == Certificate.GetCertHashString() },
        });

    private static IEnumerable<Uri> Addresses(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Select(a => new Uri(a));
    }

    private static X509Certificate2 CreateCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7));
        // Through PKCS#12 so the key is usable by the TLS stack on every platform.
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), password: null);
    }
}
