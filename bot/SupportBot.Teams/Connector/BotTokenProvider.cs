using System.Net.Http.Json;
using Microsoft.Extensions.Options;
using SupportBot.Teams.Activities;

namespace SupportBot.Teams.Connector;

/// <summary>
/// The bot's outbound token: OAuth 2.0 client credentials at <c>Teams:TokenEndpoint</c> for the scope
/// <c>https://api.botframework.com/.default</c>, cached until shortly before it expires.
/// </summary>
internal class BotTokenProvider(IHttpClientFactory httpClients, IOptions<TeamsOptions> options, TimeProvider time) : IDisposable
{
    public const string HttpClientName = "teams-token";
    public const string Scope = "https://api.botframework.com/.default";

    /// <summary>A token is renewed this long before it expires, so none expires in flight.</summary>
    public static readonly TimeSpan RenewBefore = TimeSpan.FromMinutes(5);

    private readonly SemaphoreSlim _renewing = new(1, 1);

    /// <summary>The scope asked for: the Bot Connector's.</summary>
    protected virtual string TokenScope => Scope;

    /// <summary>Where the token is asked for.</summary>
    protected virtual string Endpoint => options.Value.TokenEndpoint;

    protected TeamsOptions Settings => options.Value;
    private (string Token, DateTimeOffset RenewAt)? _cached;

    public async ValueTask<string> GetTokenAsync(CancellationToken cancellationToken)
    {
        if (_cached is { } current && time.GetUtcNow() < current.RenewAt)
        {
            return current.Token;
        }

        await _renewing.WaitAsync(cancellationToken);
        try
        {
            if (_cached is { } renewed && time.GetUtcNow() < renewed.RenewAt)
            {
                return renewed.Token;
            }

            var token = await RequestAsync(cancellationToken);
            _cached = token;
            return token.Token;
        }
        finally
        {
            _renewing.Release();
        }
    }

    private async Task<(string Token, DateTimeOffset RenewAt)> RequestAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        using var form = new FormUrlEncodedContent(
        [
            new("grant_type", "client_credentials"),
            new("client_id", settings.AppId ?? string.Empty),
            new("client_secret", settings.AppPassword ?? string.Empty),
            new("scope", TokenScope),
        ]);
        var client = httpClients.CreateClient(HttpClientName);
        var requestedAt = time.GetUtcNow();
        using var response = await client.PostAsync(new Uri(Endpoint), form, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            // The body may echo request details; the status is enough to act on (wrong secret, wrong tenant).
            throw new ConnectorException($"The token endpoint refused the bot's credentials ({(int)response.StatusCode}).", response.StatusCode);
        }

        var body = await response.Content.ReadFromJsonAsync(TeamsJson.Default.TokenResponse, cancellationToken);
        if (body?.AccessToken is not { Length: > 0 } accessToken || body.ExpiresIn <= 0)
        {
            throw new ConnectorException("The token endpoint answered without an access token.", response.StatusCode);
        }

        var lifetime = TimeSpan.FromSeconds(body.ExpiresIn);
        // Short-lived tokens (under twice the margin) are renewed at half their life instead.
        var margin = lifetime > 2 * RenewBefore ? RenewBefore : lifetime / 2;
        return (accessToken, requestedAt + lifetime - margin);
    }

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            _renewing.Dispose();
        }
    }
}

/// <summary>
/// The bot's Microsoft Graph token (client credentials in the bot's own tenant, scope
/// <c>https://graph.microsoft.com/.default</c>), for checking escalation responders' group membership.
/// </summary>
internal sealed class GraphTokenProvider(IHttpClientFactory httpClients, IOptions<TeamsOptions> options, TimeProvider time)
    : BotTokenProvider(httpClients, options, time)
{
    public const string GraphScope = "https://graph.microsoft.com/.default";

    protected override string TokenScope => GraphScope;

    protected override string Endpoint =>
        Settings.EffectiveGraphTokenEndpoint ?? throw new InvalidOperationException("Teams:TenantId (or Teams:GraphTokenEndpoint) is needed to check responders in Microsoft Graph.");
}
