using System.Net;
using SupportBot.IntegrationTests.Infrastructure;

namespace SupportBot.IntegrationTests.Teams;

/// <summary>Key rollover: an unknown key id re-reads the OpenID metadata, at most once per 5 minutes.</summary>
public sealed class SigningKeyRefreshTests : IAsyncLifetime
{
    private BotFrameworkStandIn _botFramework = null!;
    private BotHost _host = null!;

    public async Task InitializeAsync()
    {
        _botFramework = await BotFrameworkStandIn.StartAsync();
        _host = await BotHost.StartAsync(_botFramework.HostSettings());
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _botFramework.DisposeAsync();
    }

    private async Task<HttpStatusCode> PostAsync(Microsoft.IdentityModel.Tokens.SecurityKey key)
    {
        using var response = await TeamsActivities.PostAsync(_host.Client, TeamsActivities.Personal(_botFramework.ServiceUrl, "hi"), _botFramework.MintToken(key));
        return response.StatusCode;
    }

    [Fact]
    public async Task A_rolled_over_key_is_learned_from_the_metadata_and_a_second_unknown_key_soon_after_is_not_fetched_again()
    {
        Assert.Equal(HttpStatusCode.OK, await PostAsync(_botFramework.SigningKey));
        Assert.Equal(1, _botFramework.KeySetFetches);

        // The channel starts signing with a new key: the first unknown kid triggers a refresh (in the
        // background, as in the SDKs), and Teams' redelivery then gets through.
        var rolled = BotFrameworkStandIn.NewKey("channel-key-2");
        _botFramework.PublishKey(rolled, "msteams");
        await RedisServer.WaitUntilAsync(async () => await PostAsync(rolled) == HttpStatusCode.OK, TimeSpan.FromSeconds(15), "the rolled-over key was never learned");
        Assert.Equal(2, _botFramework.KeySetFetches);

        // Within the 5-minute refresh interval, unknown kids (a flood of forged tokens, or another
        // rollover) are refused without hammering the metadata endpoint.
        var another = BotFrameworkStandIn.NewKey("channel-key-3");
        _botFramework.PublishKey(another, "msteams");
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, await PostAsync(another));
            await Task.Delay(100);
        }

        Assert.Equal(2, _botFramework.KeySetFetches);
    }
}
