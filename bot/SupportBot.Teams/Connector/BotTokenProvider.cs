using Microsoft.Extensions.Options;

namespace SupportBot.Teams.Connector;

/// <summary>
/// The bot's outbound token for the Bot Connector (resource <c>https://api.botframework.com</c>), from
/// <see cref="BotCredential"/> at <c>Teams:TokenEndpoint</c>'s authority, cached until shortly before it expires.
/// One request at a time renews it; callers in between get the cached token without waiting.
/// </summary>
internal class BotTokenProvider(BotCredential credential, IOptions<TeamsOptions> options, TimeProvider time) : IDisposable
{
    public const string HttpClientName = "teams-token";
    public const string Resource = "https://api.botframework.com";

    /// <summary>A token is renewed this long before it expires, so none expires in flight.</summary>
    public static readonly TimeSpan RenewBefore = TimeSpan.FromMinutes(5);

    private readonly SemaphoreSlim _renewing = new(1, 1);

    /// <summary>The resource asked for: the Bot Connector.</summary>
    protected virtual string TokenResource => Resource;

    /// <summary>Where the token is asked for.</summary>
    protected virtual string Endpoint => options.Value.EffectiveTokenEndpoint;

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
        var requestedAt = time.GetUtcNow();
        var result = await credential.AcquireAsync(Endpoint, TokenResource, cancellationToken);
        // MSAL states expiry on the system clock; the lifetime left is measured on that clock, the renewal on ours.
        var lifetime = result.ExpiresOn - TimeProvider.System.GetUtcNow();
        if (string.IsNullOrEmpty(result.AccessToken) || lifetime <= TimeSpan.Zero)
        {
            throw new ConnectorException("Entra ID answered without a usable access token.", System.Net.HttpStatusCode.BadGateway);
        }

        // Short-lived tokens (under twice the margin) are renewed at half their life instead.
        var margin = lifetime > 2 * RenewBefore ? RenewBefore : lifetime / 2;
        return (result.AccessToken, requestedAt + lifetime - margin);
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
internal sealed class GraphTokenProvider(BotCredential credential, IOptions<TeamsOptions> options, TimeProvider time)
    : BotTokenProvider(credential, options, time)
{
    public const string GraphResource = "https://graph.microsoft.com";

    protected override string TokenResource => GraphResource;

    protected override string Endpoint =>
        Settings.EffectiveGraphTokenEndpoint ?? throw new InvalidOperationException("Teams:TenantId (or Teams:GraphTokenEndpoint) is needed to check responders in Microsoft Graph.");
}
