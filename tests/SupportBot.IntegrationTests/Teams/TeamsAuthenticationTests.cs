using System.Net;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.Tokens;

namespace SupportBot.IntegrationTests.Teams;

/// <summary>Inbound Bot Framework authentication over real HTTP: every refusal is a 401 (403 for a tenant we do not serve) and nothing is processed.</summary>
public sealed class TeamsAuthenticationTests(TeamsHostFixture fixture) : IClassFixture<TeamsHostFixture>
{
    private BotFrameworkStandIn BotFramework => fixture.BotFramework;

    private JsonObject Activity(string tenant = BotFrameworkStandIn.Tenant) =>
        TeamsActivities.Personal(BotFramework.ServiceUrl, "How do I respond to a dispute?", tenant: tenant);

    [Fact]
    public async Task A_valid_channel_token_is_accepted_and_the_activity_taken()
    {
        var activity = Activity();
        using var response = await TeamsActivities.PostAsync(fixture.Host.Client, activity, BotFramework.MintToken());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(await fixture.WasTakenAsync(activity));
    }

    [Fact]
    public async Task A_token_expired_within_the_five_minute_clock_skew_is_accepted() =>
        await AssertAcceptedAsync(BotFramework.MintToken(adjust: d =>
        {
            d.NotBefore = DateTime.UtcNow.AddHours(-1);
            d.IssuedAt = d.NotBefore;
            d.Expires = DateTime.UtcNow.AddMinutes(-3);
        }));

    [Fact]
    public async Task A_missing_token_is_refused() => await AssertRefusedAsync(null);

    [Fact]
    public async Task A_non_bearer_authorization_is_refused()
    {
        var activity = Activity();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/messages", UriKind.Relative))
        {
            Content = new StringContent(activity.ToJsonString(), System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("Authorization", "Basic " + Convert.ToBase64String("a:b"u8.ToArray()));
        using var response = await fixture.Host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.False(await fixture.WasTakenAsync(activity));
    }

    [Fact]
    public async Task An_expired_token_is_refused() =>
        await AssertRefusedAsync(BotFramework.MintToken(adjust: d =>
        {
            d.NotBefore = DateTime.UtcNow.AddHours(-2);
            d.IssuedAt = d.NotBefore;
            d.Expires = DateTime.UtcNow.AddMinutes(-6);
        }));

    [Fact]
    public async Task A_token_not_yet_valid_is_refused() =>
        await AssertRefusedAsync(BotFramework.MintToken(adjust: d =>
        {
            d.NotBefore = DateTime.UtcNow.AddMinutes(6);
            d.IssuedAt = d.NotBefore;
            d.Expires = DateTime.UtcNow.AddHours(1);
        }));

    [Fact]
    public async Task A_token_for_another_bot_is_refused() =>
        await AssertRefusedAsync(BotFramework.MintToken(adjust: d => d.Audience = "11111111-2222-3333-4444-555555555555"));

    [Fact]
    public async Task A_token_from_another_issuer_is_refused() =>
        await AssertRefusedAsync(BotFramework.MintToken(adjust: d => d.Issuer = "https://sts.windows.net/" + BotFrameworkStandIn.Tenant + "/"));

    [Fact]
    public async Task A_token_signed_with_an_unknown_key_is_refused() =>
        await AssertRefusedAsync(BotFramework.MintToken(BotFrameworkStandIn.NewKey("never-published")));

    [Fact]
    public async Task An_unsigned_token_is_refused() => await AssertRefusedAsync(BotFramework.MintUnsignedToken());

    [Fact]
    public async Task A_token_signed_by_another_key_under_a_known_key_id_is_refused() =>
        await AssertRefusedAsync(BotFramework.MintToken(BotFrameworkStandIn.NewKey(BotFramework.SigningKey.KeyId!)));

    [Fact]
    public async Task A_token_signed_with_HS256_is_refused() =>
        await AssertRefusedAsync(BotFramework.MintToken(new SymmetricSecurityKey(new byte[32]) { KeyId = BotFramework.SigningKey.KeyId }, d =>
            d.SigningCredentials = new SigningCredentials(d.SigningCredentials.Key, SecurityAlgorithms.HmacSha256)));

    [Fact]
    public async Task A_token_for_another_service_url_is_refused() =>
        await AssertRefusedAsync(BotFramework.MintToken(adjust: d => d.Claims["serviceurl"] = "https://smba.trafficmanager.net/emea/"));

    [Fact]
    public async Task A_token_without_a_service_url_claim_is_refused() =>
        await AssertRefusedAsync(BotFramework.MintToken(adjust: d => d.Claims.Remove("serviceurl")));

    [Fact]
    public async Task An_activity_from_a_tenant_not_allowed_is_refused() =>
        await AssertRefusedAsync(BotFramework.MintToken(), Activity("9f3c6a1e-0000-4000-8000-00000000beef"), HttpStatusCode.Forbidden);

    [Fact]
    public async Task A_key_not_endorsed_for_the_channel_is_refused() =>
        await AssertRefusedAsync(BotFramework.MintToken(fixture.SkypeOnlyKey));

    [Fact]
    public async Task A_key_is_accepted_for_the_channel_it_is_endorsed_for()
    {
        var activity = Activity();
        activity["channelId"] = "skype";
        using var response = await TeamsActivities.PostAsync(fixture.Host.Client, activity, BotFramework.MintToken(fixture.SkypeOnlyKey));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(await fixture.WasTakenAsync(activity));
    }

    [Fact]
    public async Task A_malformed_body_with_a_valid_token_is_a_bad_request()
    {
        using var response = await TeamsActivities.PostRawAsync(fixture.Host.Client, "{\"type\":\"message\",", BotFramework.MintToken());
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task A_malformed_body_without_a_token_is_refused_before_it_is_read()
    {
        using var response = await TeamsActivities.PostRawAsync(fixture.Host.Client, "{\"type\":", null);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private async Task AssertAcceptedAsync(string token)
    {
        var activity = Activity();
        using var response = await TeamsActivities.PostAsync(fixture.Host.Client, activity, token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(await fixture.WasTakenAsync(activity));
    }

    private async Task AssertRefusedAsync(string? token, JsonObject? activity = null, HttpStatusCode status = HttpStatusCode.Unauthorized)
    {
        activity ??= Activity();
        using var response = await TeamsActivities.PostAsync(fixture.Host.Client, activity, token);

        Assert.Equal(status, response.StatusCode);
        Assert.False(await fixture.WasTakenAsync(activity));
        Assert.Empty(fixture.RequestsFor(activity["conversation"]!["id"]!.GetValue<string>()));
    }
}
