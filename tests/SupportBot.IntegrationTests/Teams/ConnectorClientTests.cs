using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using SupportBot.IntegrationTests.Infrastructure;
using SupportBot.Teams;
using SupportBot.Teams.Activities;
using SupportBot.Teams.Connector;

namespace SupportBot.IntegrationTests.Teams;

/// <summary>The Connector client and the bot's token over real HTTP, wired exactly as the host wires them.</summary>
public sealed class ConnectorClientTests : IAsyncLifetime
{
    private BotFrameworkStandIn _botFramework = null!;

    public async Task InitializeAsync() => _botFramework = await BotFrameworkStandIn.StartAsync();

    public async Task DisposeAsync() => await _botFramework.DisposeAsync();

    private ServiceProvider Services(TimeProvider? time = null)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(_botFramework.HostSettings().Select(s => s.Split('=', 2)).Select(p => new KeyValuePair<string, string?>(p[0], p[1])))
            .Build();
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton(time ?? TimeProvider.System);
        services.AddSupportBotTeams(configuration);
        Loopback.TrustStandInCertificate(services);
        return services.BuildServiceProvider();
    }

    private static Activity Message(string text) => new() { Type = ActivityTypes.Message, Text = text };

    [Fact]
    public async Task A_reply_goes_to_the_activity_with_the_conversation_id_percent_encoded_and_the_bot_token()
    {
        await using var services = Services();
        var connector = services.GetRequiredService<ConnectorClient>();
        const string conversation = "19:abc@thread.tacv2;messageid=1759881511856";

        var sent = await connector.ReplyToActivityAsync(_botFramework.ServiceUrl, conversation, "1759944781430", Message("hello"), CancellationToken.None);

        var request = Assert.Single(_botFramework.ConnectorRequests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/amer/v3/conversations/19%3Aabc%40thread.tacv2%3Bmessageid%3D1759881511856/activities/1759944781430", request.RawTarget);
        Assert.Equal("Bearer bot-token-1", request.Authorization);
        Assert.Equal("hello", request.Body["text"]!.GetValue<string>());
        Assert.StartsWith("reply-", sent.Id, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_update_is_a_put_to_the_activity_and_a_send_is_a_post_to_the_conversation()
    {
        await using var services = Services();
        var connector = services.GetRequiredService<ConnectorClient>();

        await connector.UpdateActivityAsync(_botFramework.ServiceUrl.TrimEnd('/'), "a:1xyz", "1:abc", Message("edited"), CancellationToken.None);
        await connector.SendToConversationAsync(_botFramework.ServiceUrl, "a:1xyz", Message("new"), CancellationToken.None);

        var requests = _botFramework.ConnectorRequests.ToArray();
        Assert.Equal(("PUT", "/amer/v3/conversations/a%3A1xyz/activities/1%3Aabc"), (requests[0].Method, requests[0].RawTarget));
        Assert.Equal(("POST", "/amer/v3/conversations/a%3A1xyz/activities"), (requests[1].Method, requests[1].RawTarget));
    }

    [Fact]
    public async Task A_new_channel_thread_is_created_with_the_channel_and_tenant()
    {
        await using var services = Services();
        var connector = services.GetRequiredService<ConnectorClient>();
        var parameters = new ConversationParameters
        {
            IsGroup = true,
            ChannelData = new JsonObject { ["channel"] = new JsonObject { ["id"] = "19:escalations@thread.tacv2" } },
            Activity = Message("Escalated: a dispute needs a look"),
            TenantId = BotFrameworkStandIn.Tenant,
        };

        var created = await connector.CreateConversationAsync(_botFramework.ServiceUrl, parameters, CancellationToken.None);

        var request = Assert.Single(_botFramework.ConnectorRequests);
        Assert.Equal(("POST", "/amer/v3/conversations"), (request.Method, request.RawTarget));
        Assert.True(request.Body["isGroup"]!.GetValue<bool>());
        Assert.Equal("19:escalations@thread.tacv2", request.Body["channelData"]!["channel"]!["id"]!.GetValue<string>());
        Assert.Equal(BotFrameworkStandIn.Tenant, request.Body["tenantId"]!.GetValue<string>());
        Assert.Equal("1760000000000", created.ActivityId);
        Assert.Contains(";messageid=", created.Id, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_throttled_send_is_retried_after_the_Retry_After_delay()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var services = Services(time);
        var connector = services.GetRequiredService<ConnectorClient>();
        _botFramework.ThrottleNext(1); // 429 with Retry-After: 1

        var sending = connector.SendToConversationAsync(_botFramework.ServiceUrl, "a:1xyz", Message("hello"), CancellationToken.None);
        await RedisServer.WaitUntilAsync(() => Task.FromResult(_botFramework.ConnectorRequests.Count == 1), TimeSpan.FromSeconds(10), "the first attempt was never made");
        time.Advance(TimeSpan.FromMilliseconds(900));
        await Task.Delay(100);
        Assert.False(sending.IsCompleted, "retried before Retry-After");
        Assert.Single(_botFramework.ConnectorRequests);

        time.Advance(TimeSpan.FromMilliseconds(100));
        var sent = await sending.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.NotNull(sent.Id);
        Assert.Equal(2, _botFramework.ConnectorRequests.Count);
    }

    [Fact]
    public async Task A_throttled_single_attempt_update_is_not_retried_and_carries_Retry_After()
    {
        await using var services = Services();
        var connector = services.GetRequiredService<ConnectorClient>();
        _botFramework.ThrottleUpdates(1);

        var error = await Assert.ThrowsAsync<ConnectorException>(() =>
            connector.UpdateActivityOnceAsync(_botFramework.ServiceUrl, "a:1xyz", "1:abc", Message("growing"), CancellationToken.None));

        Assert.Equal(HttpStatusCode.TooManyRequests, error.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(1), error.RetryAfter);
        Assert.Single(_botFramework.ConnectorRequests);
    }

    [Fact]
    public async Task A_message_too_big_is_not_retried_and_says_so()
    {
        await using var services = Services();
        var connector = services.GetRequiredService<ConnectorClient>();

        var error = await Assert.ThrowsAsync<ConnectorException>(() =>
            connector.SendToConversationAsync(_botFramework.ServiceUrl, "a:too-big", Message("x"), CancellationToken.None));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, error.StatusCode);
        Assert.Single(_botFramework.ConnectorRequests);
    }

    [Fact]
    public async Task The_bot_token_is_requested_with_client_credentials_and_reused_until_shortly_before_it_expires()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var services = Services(time);
        var tokens = services.GetRequiredService<BotTokenProvider>();

        Assert.Equal("bot-token-1", await tokens.GetTokenAsync(CancellationToken.None));
        time.Advance(TimeSpan.FromMinutes(54));
        Assert.Equal("bot-token-1", await tokens.GetTokenAsync(CancellationToken.None));
        Assert.Equal(1, _botFramework.TokenRequests);

        // expires_in is 3600 s; it is renewed 5 minutes before, not after it lapsed.
        time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal("bot-token-2", await tokens.GetTokenAsync(CancellationToken.None));
        Assert.Equal(2, _botFramework.TokenRequests);

        var form = _botFramework.TokenForms.First();
        Assert.Equal("client_credentials", form["grant_type"]);
        Assert.Equal(BotFrameworkStandIn.AppId, form["client_id"]);
        Assert.Equal(BotFrameworkStandIn.AppPassword, form["client_secret"]);
        Assert.Equal("https://api.botframework.com/.default", form["scope"]);
    }

    [Fact]
    public async Task Concurrent_callers_share_one_token_request()
    {
        await using var services = Services();
        var tokens = services.GetRequiredService<BotTokenProvider>();

        var all = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => tokens.GetTokenAsync(CancellationToken.None).AsTask()));

        Assert.All(all, t => Assert.Equal("bot-token-1", t));
        Assert.Equal(1, _botFramework.TokenRequests);
    }
}
