using Microsoft.Extensions.Options;
using SupportBot.Slack;
using SupportBot.Slack.Commands;

namespace SupportBot.Tests.Slack;

/// <summary>A response_url comes in the request: the bot posts only to Slack's hooks host.</summary>
public sealed class SlackResponseUrlTests
{
    private sealed class NoClients : IHttpClientFactory
    {
        public int Created { get; private set; }

        public HttpClient CreateClient(string name)
        {
            Created++;
            throw new InvalidOperationException("no HTTP expected");
        }
    }

    [Theory]
    [InlineData("https://hooks.slack.com/commands/T0001/1/x", true)]
    [InlineData("https://HOOKS.SLACK.COM/actions/T0001/1/x", true)]
    [InlineData("http://hooks.slack.com/commands/T0001/1/x", false)]
    [InlineData("https://hooks.slack.com.evil.example/commands/x", false)]
    [InlineData("https://evil.example/hooks.slack.com", false)]
    [InlineData("https://user@evil.example/", false)]
    [InlineData("not a url", false)]
    public void Only_slacks_hooks_host_over_https_is_allowed(string url, bool allowed) =>
        Assert.Equal(allowed, new SlackResponseUrl(new NoClients(), Options.Create(new SlackOptions())).IsAllowed(url));

    [Fact]
    public async Task A_foreign_response_url_is_never_called()
    {
        var clients = new NoClients();
        var responses = new SlackResponseUrl(clients, Options.Create(new SlackOptions()));

        await Assert.ThrowsAsync<InvalidOperationException>(() => responses.PostAsync("https://collector.evil.example/steal", new SlashCommandResponse("Case 12345"), CancellationToken.None));
        Assert.Equal(0, clients.Created);
    }

    [Fact]
    public void A_configured_host_is_allowed_for_stand_ins()
    {
        var options = new SlackOptions();
        options.ResponseUrlHosts.Add("127.0.0.1:5999");
        var responses = new SlackResponseUrl(new NoClients(), Options.Create(options));

        Assert.True(responses.IsAllowed("http://127.0.0.1:5999/response"));
        Assert.False(responses.IsAllowed("http://127.0.0.1:6000/response"));
    }
}
