using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using SupportBot.Core.State;
using SupportBot.IntegrationTests.Infrastructure;

namespace SupportBot.IntegrationTests.Teams;

/// <summary>
/// Activities with a valid Bot Framework token that we still must not serve: another tenant, another channel,
/// a service URL that is not Bot Framework's, too many from one tenant. Real host, real HTTP, stand-in Connector.
/// </summary>
public sealed class TeamsTenantBoundaryTests : IAsyncLifetime
{
    private const string OtherTenant = "9f3c6a1e-0000-4000-8000-00000000beef";

    private BotFrameworkStandIn _botFramework = null!;

    public async Task InitializeAsync() => _botFramework = await BotFrameworkStandIn.StartAsync();

    public async Task DisposeAsync() => await _botFramework.DisposeAsync();

    private JsonObject Question(string? tenant = null, string? serviceUrl = null) =>
        TeamsActivities.Personal(serviceUrl ?? _botFramework.ServiceUrl, "How do I respond to a dispute?", tenant: tenant ?? BotFrameworkStandIn.Tenant);

    private static async Task<bool> WasTakenAsync(BotHost host, JsonObject activity)
    {
        var key = $"inbound:teams:{activity["conversation"]!["id"]}|{activity["id"]}";
        var deduplicator = host.Services.GetRequiredService<IDeduplicator>();
        if (await deduplicator.TryClaimAsync(key, TimeSpan.FromSeconds(1), CancellationToken.None))
        {
            await deduplicator.ReleaseAsync(key, CancellationToken.None);
            return false;
        }

        return true;
    }

    private async Task<HttpStatusCode> PostAsync(BotHost host, JsonObject activity, string? token = null)
    {
        using var response = await TeamsActivities.PostAsync(host.Client, activity, token ?? _botFramework.MintToken());
        return response.StatusCode;
    }

    [Fact]
    public async Task Allowed_tenants_default_to_the_bots_own_tenant()
    {
        await using var host = await BotHost.StartAsync(_botFramework.HostSettings($"Teams:TenantId={BotFrameworkStandIn.Tenant}"));
        var own = Question();
        var foreign = Question(OtherTenant);

        Assert.Equal(HttpStatusCode.OK, await PostAsync(host, own));
        Assert.Equal(HttpStatusCode.Forbidden, await PostAsync(host, foreign));
        Assert.True(await WasTakenAsync(host, own));
        Assert.False(await WasTakenAsync(host, foreign));
    }

    [Fact]
    public async Task Every_tenant_the_activity_or_its_token_names_must_be_allowed()
    {
        await using var host = await BotHost.StartAsync(_botFramework.HostSettings($"Teams:AllowedTenants={BotFrameworkStandIn.Tenant}"));

        var mixed = Question();
        mixed["channelData"]!["tenant"]!["id"] = OtherTenant; // conversation.tenantId is ours, channelData's is not
        Assert.Equal(HttpStatusCode.Forbidden, await PostAsync(host, mixed));

        var tokenTenant = Question();
        var token = _botFramework.MintToken(adjust: d => d.Claims["tid"] = OtherTenant);
        Assert.Equal(HttpStatusCode.Forbidden, await PostAsync(host, tokenTenant, token));

        Assert.False(await WasTakenAsync(host, mixed));
        Assert.False(await WasTakenAsync(host, tokenTenant));
    }

    [Fact]
    public async Task Outside_development_only_the_msteams_channel_over_https_is_served()
    {
        await using var production = await BotHost.StartAsync(_botFramework.HostSettings("environment=Production"));

        // A token whose key is endorsed for Web Chat: genuine, but not Teams.
        var webChatKey = BotFrameworkStandIn.NewKey("webchat-key");
        _botFramework.PublishKey(webChatKey, "webchat");
        var webchat = Question();
        webchat["channelId"] = "webchat";
        Assert.Equal(HttpStatusCode.Forbidden, await PostAsync(production, webchat, _botFramework.MintToken(webChatKey)));

        // The stand-in's service URL is plain http: in production the bot's token never goes there.
        var plainHttp = Question();
        Assert.Equal(HttpStatusCode.Forbidden, await PostAsync(production, plainHttp));

        await Task.Delay(300);
        Assert.Empty(_botFramework.ConnectorRequests);
        Assert.False(await WasTakenAsync(production, webchat));
        Assert.False(await WasTakenAsync(production, plainHttp));
    }

    [Fact]
    public async Task A_service_url_outside_the_bot_framework_hosts_is_refused_before_anything_is_sent()
    {
        await using var host = await BotHost.StartAsync(_botFramework.HostSettings());
        var phishing = Question(serviceUrl: "https://connector.evil.example/teams/");
        var token = _botFramework.MintToken(adjust: d => d.Claims["serviceurl"] = "https://connector.evil.example/teams/");

        Assert.Equal(HttpStatusCode.Forbidden, await PostAsync(host, phishing, token));
        Assert.False(await WasTakenAsync(host, phishing));
        Assert.Equal(0, _botFramework.TokenRequests);
    }

    [Fact]
    public async Task A_tenant_over_its_rate_is_answered_429_with_retry_after()
    {
        await using var host = await BotHost.StartAsync(_botFramework.HostSettings("Teams:TenantRequestsPerMinute=2"));
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 2; i++)
        {
            statuses.Add(await PostAsync(host, Question()));
        }

        using var limited = await TeamsActivities.PostAsync(host.Client, Question(), _botFramework.MintToken());
        statuses.Add(limited.StatusCode);

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(TimeSpan.FromSeconds(60), limited.Headers.RetryAfter?.Delta);
    }
}
