using System.Net;
using SupportBot.IntegrationTests.Infrastructure;

namespace SupportBot.IntegrationTests.State;

public sealed class ReadinessTests
{
    [Fact]
    public async Task Readiness_follows_redis_going_away_and_coming_back_without_a_restart()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var host = await BotHost.StartAsync($"Redis:Configuration={redis.Configuration}");
        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync(new Uri("/readyz", UriKind.Relative))).StatusCode);

        await redis.StopAsync();
        string body = string.Empty;
        await RedisServer.WaitUntilAsync(async () =>
        {
            var response = await host.Client.GetAsync(new Uri("/readyz", UriKind.Relative));
            body = await response.Content.ReadAsStringAsync();
            return response.StatusCode == HttpStatusCode.ServiceUnavailable;
        }, TimeSpan.FromSeconds(20), "readyz stayed 200 with Redis down");
        Assert.Contains("redis", body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync(new Uri("/healthz", UriKind.Relative))).StatusCode);

        await redis.StartAgainAsync();
        await RedisServer.WaitUntilAsync(
            async () => (await host.Client.GetAsync(new Uri("/readyz", UriKind.Relative))).StatusCode == HttpStatusCode.OK,
            TimeSpan.FromSeconds(30), "readyz did not recover when Redis came back");

        // And the bot answers again.
        var sent = await host.SendAsync("How do I respond to a dispute?");
        Assert.True((await host.WaitForReplyAsync(sent)).Confident);
    }

    [Fact]
    public async Task A_message_posted_while_redis_is_down_gets_a_503_not_a_500()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var host = await BotHost.StartAsync($"Redis:Configuration={redis.Configuration},connectTimeout=500,syncTimeout=1000,asyncTimeout=1000");
        await redis.StopAsync();

        var response = await host.Client.PostAsync(
            new Uri("/chat/api/messages", UriKind.Relative),
            new StringContent("{\"text\":\"hello there\"}", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
    }
}
