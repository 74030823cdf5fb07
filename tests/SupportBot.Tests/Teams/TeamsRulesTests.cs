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
}
