using SupportBot.Slack;

namespace SupportBot.Tests.Slack;

public sealed class SlackOptionsTests
{
    private static List<string> Failures(SlackOptions options) =>
        new SlackOptionsValidator().Validate(null, options).Failures?.ToList() ?? [];

    [Fact]
    public void Slack_is_off_by_default_and_on_with_both_secrets()
    {
        Assert.False(new SlackOptions().Enabled);
        Assert.Empty(Failures(new SlackOptions()));
        var on = new SlackOptions { SigningSecret = "s", BotToken = "xoxb-1" };
        Assert.True(on.Enabled);
        Assert.False(on.SocketMode);
        Assert.True(new SlackOptions { SigningSecret = "s", BotToken = "xoxb-1", AppToken = "xapp-1" }.SocketMode);
        Assert.Equal(new Uri("https://slack.com/api/"), on.ApiBase);
    }

    [Fact]
    public void Half_configured_slack_names_the_missing_key()
    {
        Assert.StartsWith("Slack:BotToken:", Assert.Single(Failures(new SlackOptions { SigningSecret = "s" })), StringComparison.Ordinal);
        Assert.StartsWith("Slack:SigningSecret:", Assert.Single(Failures(new SlackOptions { BotToken = "xoxb-1" })), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not a url", "Slack:ApiBaseUrl:")]
    [InlineData("ftp://slack.example/api/", "Slack:ApiBaseUrl:")]
    public void A_bad_api_base_url_is_refused(string url, string key) =>
        Assert.StartsWith(key, Assert.Single(Failures(new SlackOptions { ApiBaseUrl = url })), StringComparison.Ordinal);

    [Fact]
    public void An_app_token_must_be_an_app_level_token() =>
        Assert.StartsWith("Slack:AppToken:", Assert.Single(Failures(new SlackOptions { AppToken = "xoxb-wrong" })), StringComparison.Ordinal);

    [Fact]
    public void A_base_url_without_a_trailing_slash_still_resolves_methods_under_it() =>
        Assert.Equal(new Uri("http://127.0.0.1:9/api/chat.postMessage"), new Uri(new SlackOptions { ApiBaseUrl = "http://127.0.0.1:9/api" }.ApiBase, "chat.postMessage"));
}
