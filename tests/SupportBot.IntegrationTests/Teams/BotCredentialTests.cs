using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SupportBot.IntegrationTests.Infrastructure;
using SupportBot.Teams;
using SupportBot.Teams.Connector;

namespace SupportBot.IntegrationTests.Teams;

/// <summary>
/// The bot's outbound identity through MSAL against an https Entra ID stand-in: client secret, certificate (a signed
/// client assertion the stand-in verifies), a single tenant's authority, refusals, and renewal of short-lived tokens.
/// </summary>
public sealed class BotCredentialTests : IAsyncLifetime
{
    private BotFrameworkStandIn _entra = null!;
    private string _folder = null!;

    public async Task InitializeAsync()
    {
        _entra = await BotFrameworkStandIn.StartAsync();
        _folder = Directory.CreateTempSubdirectory("supportbot-cert-").FullName;
    }

    public async Task DisposeAsync()
    {
        await _entra.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    internal static ServiceProvider Services(IEnumerable<string> settings)
    {
        // Later settings win, as on a command line.
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var pair in settings.Select(s => s.Split('=', 2)))
        {
            values[pair[0]] = pair[1];
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection().AddLogging().AddSingleton(TimeProvider.System);
        services.AddSupportBotTeams(configuration);
        Loopback.TrustStandInCertificate(services);
        return services.BuildServiceProvider();
    }

    /// <summary>The stand-in's settings without the client secret, plus <paramref name="extra"/>.</summary>
    private string[] WithoutSecret(params string[] extra) =>
        [.. _entra.HostSettings(extra).Where(s => !s.StartsWith("Teams:AppPassword=", StringComparison.Ordinal))];

    private string WritePem(X509Certificate2 certificate, bool keyApart = false)
    {
        var path = Path.Combine(_folder, "bot.pem");
        var key = certificate.GetRSAPrivateKey()!.ExportPkcs8PrivateKeyPem();
        File.WriteAllText(path, certificate.ExportCertificatePem() + "\n" + (keyApart ? string.Empty : key));
        if (keyApart)
        {
            File.WriteAllText(Path.Combine(_folder, "bot.key"), key);
        }

        return path;
    }

    [Fact]
    public async Task A_certificate_signs_a_client_assertion_the_token_endpoint_accepts_and_no_secret_is_sent()
    {
        var path = WritePem(_entra.ClientCertificate);
        await using var services = Services(WithoutSecret($"Teams:CertificatePath={path}"));

        var token = await services.GetRequiredService<BotTokenProvider>().GetTokenAsync(CancellationToken.None);

        Assert.Equal("bot-token-1", token);
        var form = Assert.Single(_entra.TokenForms);
        Assert.False(form.ContainsKey("client_secret"));
        Assert.Equal("urn:ietf:params:oauth:client-assertion-type:jwt-bearer", form["client_assertion_type"]);
        Assert.Equal("https://api.botframework.com/.default", form["scope"]);
    }

    [Fact]
    public async Task A_certificate_with_its_key_in_a_separate_file_as_a_kubernetes_tls_secret_mounts_it_works_too()
    {
        var path = WritePem(_entra.ClientCertificate, keyApart: true);
        await using var services = Services(WithoutSecret($"Teams:CertificatePath={path}", $"Teams:CertificateKeyPath={Path.Combine(_folder, "bot.key")}"));

        Assert.Equal("bot-token-1", await services.GetRequiredService<BotTokenProvider>().GetTokenAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_rotated_certificate_file_is_used_for_the_next_token_without_a_restart()
    {
        var path = WritePem(_entra.ClientCertificate);
        _entra.TokenLifetimeSeconds = 60; // renewed at half its life: every call after 30 s; here, a second call soon
        await using var services = Services(WithoutSecret($"Teams:CertificatePath={path}"));
        var credential = services.GetRequiredService<BotCredential>();
        var endpoint = services.GetRequiredService<IOptions<TeamsOptions>>().Value.EffectiveTokenEndpoint;
        await credential.AcquireAsync(endpoint, BotTokenProvider.Resource, CancellationToken.None);

        // A certificate the registration does not know replaces the file: the next request signs with it and is refused.
        using var stranger = NewCertificate();
        WritePem(stranger);
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddMinutes(1));
        var refused = await Assert.ThrowsAsync<ConnectorException>(() => credential.AcquireAsync(endpoint, BotTokenProvider.Resource, CancellationToken.None));

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Fact]
    public async Task A_single_tenant_bot_asks_its_own_tenant_for_both_of_its_tokens()
    {
        await using var services = Services(_entra.HostSettings(
            $"Teams:TenantId={BotFrameworkStandIn.Tenant}",
            $"Teams:TokenEndpoint={_entra.TenantTokenEndpoint}",
            $"Teams:GraphTokenEndpoint={_entra.TenantTokenEndpoint}"));

        await services.GetRequiredService<BotTokenProvider>().GetTokenAsync(CancellationToken.None);
        await services.GetRequiredService<GraphTokenProvider>().GetTokenAsync(CancellationToken.None);

        Assert.All(_entra.TokenForms, form => Assert.Equal(BotFrameworkStandIn.Tenant, form["tenant"]));
        Assert.Equal(["https://api.botframework.com/.default", "https://graph.microsoft.com/.default"], _entra.TokenForms.Select(f => f["scope"]));
    }

    [Fact]
    public async Task A_wrong_secret_is_a_clear_error_that_names_entra_ids_code_and_not_the_secret()
    {
        await using var services = Services(_entra.HostSettings("Teams:AppPassword=not-the-secret"));

        var error = await Assert.ThrowsAsync<ConnectorException>(() => services.GetRequiredService<BotTokenProvider>().GetTokenAsync(CancellationToken.None).AsTask());

        Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
        Assert.Contains("invalid_client", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-secret", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_short_lived_token_is_renewed_at_half_its_life_instead_of_being_used_until_it_lapses()
    {
        _entra.TokenLifetimeSeconds = 2;
        await using var services = Services(_entra.HostSettings());
        var tokens = services.GetRequiredService<BotTokenProvider>();

        Assert.Equal("bot-token-1", await tokens.GetTokenAsync(CancellationToken.None));
        Assert.Equal("bot-token-1", await tokens.GetTokenAsync(CancellationToken.None));
        await Task.Delay(TimeSpan.FromSeconds(1.2));

        Assert.Equal("bot-token-2", await tokens.GetTokenAsync(CancellationToken.None));
    }

    [Fact]
    public void A_certificate_that_cannot_be_read_stops_the_start_with_the_reason()
    {
        var path = Path.Combine(_folder, "missing.pem");
        using var services = Services(WithoutSecret($"Teams:CertificatePath={path}"));

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<TeamsOptions>>().Value);

        Assert.Contains("CertificatePath", error.Message, StringComparison.Ordinal);
        Assert.Contains("missing.pem", error.Message, StringComparison.Ordinal);
    }

    internal static X509Certificate2 NewCertificate()
    {
        using var key = System.Security.Cryptography.RSA.Create(2048);
        var request = new CertificateRequest("CN=stranger", key, System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1);
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), password: null);
    }
}

/// <summary>
/// Managed identity through MSAL's App Service source (<c>IDENTITY_ENDPOINT</c>, <c>IDENTITY_HEADER</c>) and Kubernetes
/// workload identity (<c>AZURE_FEDERATED_TOKEN_FILE</c>). Those are process environment variables, so this runs alone.
/// </summary>
[CollectionDefinition(nameof(ManagedIdentityCollection), DisableParallelization = true)]
public sealed class ManagedIdentityCollection;

[Collection(nameof(ManagedIdentityCollection))]
public sealed class ManagedIdentityTests : IAsyncLifetime
{
    private BotFrameworkStandIn _azure = null!;

    public async Task InitializeAsync()
    {
        _azure = await BotFrameworkStandIn.StartAsync();
        Environment.SetEnvironmentVariable("IDENTITY_ENDPOINT", _azure.IdentityEndpoint);
        Environment.SetEnvironmentVariable("IDENTITY_HEADER", BotFrameworkStandIn.IdentityHeader);
    }

    public async Task DisposeAsync()
    {
        Environment.SetEnvironmentVariable("IDENTITY_ENDPOINT", null);
        Environment.SetEnvironmentVariable("IDENTITY_HEADER", null);
        Environment.SetEnvironmentVariable(BotCredential.FederatedTokenFileVariable, null);
        await _azure.DisposeAsync();
    }

    [Fact]
    public async Task A_workload_identity_exchanges_its_service_account_token_at_the_tenant_for_the_bot_token()
    {
        var tokenFile = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(tokenFile, BotFrameworkStandIn.FederatedToken + "\n");
            Environment.SetEnvironmentVariable(BotCredential.FederatedTokenFileVariable, tokenFile);
            var settings = _azure.HostSettings("Teams:Credential=WorkloadIdentity", $"Teams:TokenEndpoint={_azure.TenantTokenEndpoint}")
                .Where(s => !s.StartsWith("Teams:AppPassword=", StringComparison.Ordinal));
            await using var services = BotCredentialTests.Services(settings);

            Assert.Equal("bot-token-1", await services.GetRequiredService<BotTokenProvider>().GetTokenAsync(CancellationToken.None));

            var form = Assert.Single(_azure.TokenForms);
            Assert.Equal(BotFrameworkStandIn.FederatedToken, form["client_assertion"]);
            Assert.Equal(BotFrameworkStandIn.Tenant, form["tenant"]);
            Assert.False(form.ContainsKey("client_secret"));
        }
        finally
        {
            File.Delete(tokenFile);
        }
    }

    [Fact]
    public async Task The_user_assigned_identity_named_by_the_app_id_gets_the_bot_its_connector_and_graph_tokens_without_a_secret()
    {
        var settings = _azure.HostSettings("Teams:Credential=ManagedIdentity", $"Teams:TenantId={BotFrameworkStandIn.Tenant}")
            .Where(s => !s.StartsWith("Teams:AppPassword=", StringComparison.Ordinal));
        await using var services = BotCredentialTests.Services(settings);

        Assert.Equal("mi-token-1", await services.GetRequiredService<BotTokenProvider>().GetTokenAsync(CancellationToken.None));
        Assert.Equal("mi-token-2", await services.GetRequiredService<GraphTokenProvider>().GetTokenAsync(CancellationToken.None));

        Assert.Empty(_azure.TokenForms);
        Assert.Equal(["https://api.botframework.com", "https://graph.microsoft.com"], _azure.IdentityRequests.Select(r => r.Query["resource"]));
        Assert.All(_azure.IdentityRequests, r => Assert.Equal(BotFrameworkStandIn.AppId, r.Query["client_id"]));
    }
}
