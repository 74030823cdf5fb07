using System.ComponentModel.DataAnnotations;
using System.Net;
using SupportBot.Teams;
using SupportBot.Teams.Auth;

namespace SupportBot.Tests.Teams;

public sealed class TeamsRulesTests
{
    private static readonly DateTime Now = new(2026, 1, 7, 6, 0, 0, DateTimeKind.Utc);

    [Theory]
    [InlineData(-60, 60, true)]      // well inside
    [InlineData(-60, -4, true)]      // expired 4 minutes ago: inside the 5-minute skew
    [InlineData(-60, -6, false)]     // expired 6 minutes ago
    [InlineData(4, 60, true)]        // valid from 4 minutes from now: inside the skew
    [InlineData(6, 60, false)]       // not valid for another 6 minutes
    public void Token_lifetime_allows_five_minutes_of_clock_skew(int notBeforeMinutes, int expiresMinutes, bool valid) =>
        Assert.Equal(valid, BotFrameworkAuthenticator.IsWithinLifetime(Now.AddMinutes(notBeforeMinutes), Now.AddMinutes(expiresMinutes), Now));

    [Fact]
    public void A_token_without_an_expiry_is_not_valid() =>
        Assert.False(BotFrameworkAuthenticator.IsWithinLifetime(Now.AddMinutes(-1), null, Now));

    [Theory]
    [InlineData(HttpStatusCode.TooManyRequests, true)]
    [InlineData(HttpStatusCode.PreconditionFailed, true)]
    [InlineData(HttpStatusCode.BadGateway, true)]
    [InlineData(HttpStatusCode.GatewayTimeout, true)]
    [InlineData(HttpStatusCode.RequestEntityTooLarge, false)]
    [InlineData(HttpStatusCode.Forbidden, false)]
    [InlineData(HttpStatusCode.BadRequest, false)]
    public void Connector_failures_worth_retrying(HttpStatusCode status, bool retry) =>
        Assert.Equal(retry, TeamsServiceCollectionExtensions.IsRetryable(status));

    [Fact]
    public void An_app_id_without_a_password_names_the_key()
    {
        var options = new TeamsOptions { AppId = "0b6fe6d1-fece-44f7-9a48-56465e2d5ab8", TokenEndpoint = "not a url" };

        var errors = options.Validate(new ValidationContext(options)).ToList();

        Assert.Contains(errors, e => e.MemberNames.Contains(nameof(TeamsOptions.AppPassword)));
        Assert.Contains(errors, e => e.MemberNames.Contains(nameof(TeamsOptions.TokenEndpoint)));
    }

    [Fact]
    public void Without_an_app_id_Teams_is_off_and_nothing_is_required()
    {
        var options = new TeamsOptions();

        Assert.False(options.Enabled);
        Assert.Empty(options.Validate(new ValidationContext(options)));
    }

    private const string App = "0b6fe6d1-fece-44f7-9a48-56465e2d5ab8";
    private const string Tenant = "50612dbb-0237-4969-b378-8d42590f9c00";

    private static List<string> Problems(TeamsOptions options) =>
        [.. options.Validate(new ValidationContext(options)).SelectMany(e => e.MemberNames.Select(m => $"{m}: {e.ErrorMessage}"))];

    [Fact]
    public void A_single_tenant_bot_gets_its_tokens_from_its_own_tenant_unless_an_endpoint_is_given()
    {
        Assert.Equal(TeamsOptions.BotFrameworkTokenEndpoint, new TeamsOptions { AppId = App }.EffectiveTokenEndpoint);
        Assert.Equal($"https://login.microsoftonline.com/{Tenant}/oauth2/v2.0/token", new TeamsOptions { AppId = App, TenantId = Tenant }.EffectiveTokenEndpoint);
        Assert.Equal("https://login.microsoftonline.us/x/oauth2/v2.0/token",
            new TeamsOptions { AppId = App, TenantId = Tenant, TokenEndpoint = "https://login.microsoftonline.us/x/oauth2/v2.0/token" }.EffectiveTokenEndpoint);
    }

    [Theory]
    [InlineData("https://login.microsoftonline.com/botframework.com/oauth2/v2.0/token", "https://login.microsoftonline.com/botframework.com/")]
    [InlineData("https://127.0.0.1:5001/tenant/oauth2/v2.0/token", "https://127.0.0.1:5001/tenant/")]
    public void The_msal_authority_is_the_token_endpoint_without_its_path(string endpoint, string authority) =>
        Assert.Equal(authority, TeamsOptions.AuthorityOf(endpoint));

    [Theory]
    [InlineData("http://login.microsoftonline.com/botframework.com/oauth2/v2.0/token")]  // not https
    [InlineData("https://login.microsoftonline.com/oauth2/v2.0/token")]                  // no tenant
    [InlineData("https://login.microsoftonline.com/botframework.com/oauth2/token")]      // v1
    public void A_token_endpoint_msal_cannot_use_is_refused(string endpoint) =>
        Assert.Contains(Problems(new TeamsOptions { AppId = App, AppPassword = "s", TokenEndpoint = endpoint }), p => p.StartsWith("TokenEndpoint:", StringComparison.Ordinal));

    [Fact]
    public void The_credential_is_picked_from_what_is_set_and_two_at_once_are_refused()
    {
        Assert.Equal(TeamsCredential.ClientSecret, new TeamsOptions { AppId = App, AppPassword = "s" }.EffectiveCredential);
        Assert.Equal(TeamsCredential.Certificate, new TeamsOptions { AppId = App, CertificatePath = "bot.pem" }.EffectiveCredential);
        Assert.Contains(Problems(new TeamsOptions { AppId = App, AppPassword = "s", Credential = TeamsCredential.ManagedIdentity }), p => p.StartsWith("Credential:", StringComparison.Ordinal));
        Assert.Contains(Problems(new TeamsOptions { AppId = App, AppPassword = "s", CertificatePath = "bot.pem" }), p => p.StartsWith("AppPassword:", StringComparison.Ordinal));
        Assert.Contains(Problems(new TeamsOptions { AppId = App, Credential = TeamsCredential.Certificate }), p => p.StartsWith("CertificatePath:", StringComparison.Ordinal));
        Assert.Empty(Problems(new TeamsOptions { AppId = App, Credential = TeamsCredential.ManagedIdentity }));
    }
}
