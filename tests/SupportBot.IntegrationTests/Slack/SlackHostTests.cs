using SupportBot.IntegrationTests.Infrastructure;
using static SupportBot.IntegrationTests.Slack.SlackRequests;

namespace SupportBot.IntegrationTests.Slack;

/// <summary>A test class with its own Slack Web API stand-in and a real host wired to it.</summary>
public abstract class SlackHostTests : IAsyncLifetime
{
    protected SlackApiStandIn Api { get; private set; } = null!;

    protected BotHost Bot { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Api = await SlackApiStandIn.StartAsync();
        Bot = await BotHost.StartAsync(Settings(Api));
    }

    public async Task DisposeAsync()
    {
        await Bot.DisposeAsync();
        await Api.DisposeAsync();
    }

    /// <summary>Sends (and disposes) <paramref name="request"/> to <paramref name="host"/>, or to this class's host.</summary>
    protected async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, BotHost? host = null)
    {
        using (request)
        {
            return await (host ?? Bot).Client.SendAsync(request);
        }
    }
}
