using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Microsoft.Identity.Client;
using Microsoft.Identity.Client.AppConfig;

namespace SupportBot.Teams.Connector;

/// <summary>
/// The bot's identity toward Microsoft Entra ID, through MSAL: client credentials with the registration's secret or
/// certificate (or a Kubernetes workload identity's federated token) at the authority of a token endpoint, or the
/// user-assigned managed identity whose client id is the bot's App ID. Caching is the caller's (<see cref="BotTokenProvider"/>): every call here asks for a fresh token.
/// </summary>
internal sealed class BotCredential(IHttpClientFactory httpClients, IOptions<TeamsOptions> options)
{
    private readonly MsalHttpClients _http = new(httpClients);
    private readonly ConcurrentDictionary<string, IConfidentialClientApplication> _applications = new(StringComparer.Ordinal);
    private readonly Lock _certificateLock = new();
    private IManagedIdentityApplication? _managedIdentity;
    private DateTime _certificateChanged;

    /// <summary>A token for <paramref name="resource"/> (e.g. <c>https://api.botframework.com</c>).</summary>
    /// <exception cref="ConnectorException">Entra ID refused the credential, or could not be reached.</exception>
    public async Task<AuthenticationResult> AcquireAsync(string tokenEndpoint, string resource, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        try
        {
            if (settings.EffectiveCredential == TeamsCredential.ManagedIdentity)
            {
                _managedIdentity ??= ManagedIdentityApplicationBuilder.Create(ManagedIdentityId.WithUserAssignedClientId(settings.AppId))
                    .WithHttpClientFactory(_http)
                    .Build();
                return await _managedIdentity.AcquireTokenForManagedIdentity(resource)
                    .WithForceRefresh(true)
                    .ExecuteAsync(cancellationToken);
            }

            return await Application(settings, tokenEndpoint)
                .AcquireTokenForClient([resource + "/.default"])
                .WithForceRefresh(true)
                .ExecuteAsync(cancellationToken);
        }
        catch (MsalServiceException e)
        {
            // The status and Entra ID's error code (invalid_client, unauthorized_client, ...) say what to fix; the
            // message may echo request details.
            var status = e.StatusCode > 0 ? (System.Net.HttpStatusCode)e.StatusCode : System.Net.HttpStatusCode.ServiceUnavailable;
            throw new ConnectorException($"Entra ID refused the bot's credentials ({(int)status} {e.ErrorCode}).", status);
        }
        catch (MsalException e)
        {
            throw new ConnectorException($"The bot's token could not be obtained ({e.ErrorCode}).", System.Net.HttpStatusCode.ServiceUnavailable);
        }
    }

    private IConfidentialClientApplication Application(TeamsOptions settings, string tokenEndpoint)
    {
        if (settings.EffectiveCredential == TeamsCredential.Certificate)
        {
            lock (_certificateLock)
            {
                // A rotated certificate (a renewed secret mount) is used from the next token on.
                var changed = BotCertificate.LastChanged(settings);
                if (changed != _certificateChanged)
                {
                    _applications.Clear();
                    _certificateChanged = changed;
                }
            }
        }

        return _applications.GetOrAdd(tokenEndpoint, endpoint =>
        {
            var builder = ConfidentialClientApplicationBuilder.Create(settings.AppId)
                .WithAuthority(TeamsOptions.AuthorityOf(endpoint))
                // The authority is configuration, not a user's choice: no discovery call to login.microsoftonline.com.
                .WithInstanceDiscovery(false)
                .WithHttpClientFactory(_http);
            return settings.EffectiveCredential switch
            {
                TeamsCredential.Certificate => builder.WithCertificate(BotCertificate.Load(settings)).Build(),
                TeamsCredential.WorkloadIdentity => builder.WithClientAssertion(ReadFederatedTokenAsync).Build(),
                _ => builder.WithClientSecret(settings.AppPassword).Build(),
            };
        });
    }

    /// <summary>
    /// The projected service account token, read for every request: the kubelet rotates the file well before it expires.
    /// </summary>
    private static async Task<string> ReadFederatedTokenAsync(AssertionRequestOptions request)
    {
        var path = Environment.GetEnvironmentVariable(FederatedTokenFileVariable);
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new ConnectorException(
                $"Teams:Credential is WorkloadIdentity but {FederatedTokenFileVariable} is not set (is the pod labelled azure.workload.identity/use: \"true\"?).",
                System.Net.HttpStatusCode.ServiceUnavailable);
        }

        return (await File.ReadAllTextAsync(path, request.CancellationToken)).Trim();
    }

    /// <summary>Set by the Azure workload identity webhook in a labelled pod.</summary>
    public const string FederatedTokenFileVariable = "AZURE_FEDERATED_TOKEN_FILE";

    /// <summary>MSAL's requests go through the named, resilient <c>teams-token</c> client.</summary>
    private sealed class MsalHttpClients(IHttpClientFactory httpClients) : IMsalHttpClientFactory
    {
        public HttpClient GetHttpClient() => httpClients.CreateClient(BotTokenProvider.HttpClientName);
    }
}
