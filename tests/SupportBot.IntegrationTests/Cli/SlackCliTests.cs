namespace SupportBot.IntegrationTests.Cli;

public sealed class SlackCliTests
{
    [Theory]
    [InlineData("--Slack:SigningSecret=abc", "Slack:BotToken")]
    [InlineData("--Slack:BotToken=xoxb-1", "Slack:SigningSecret")]
    [InlineData("--Slack:AppToken=xoxb-not-an-app-token", "Slack:AppToken")]
    [InlineData("--Slack:ApiBaseUrl=nowhere", "Slack:ApiBaseUrl")]
    public async Task Half_or_badly_configured_slack_exits_2_naming_the_key(string setting, string key)
    {
        var result = await CliRunner.RunAsync("ask", "How do I respond to a dispute?", setting);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(key + ":", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Manifest_slack_writes_the_manifest_for_the_base_url()
    {
        var dir = Path.Combine(Path.GetTempPath(), "supportbot-it", "manifest-" + Guid.NewGuid().ToString("N"));
        var result = await CliRunner.RunAsync("manifest", "slack", "--base-url", "https://bot.example.org", "--out", dir);
        Assert.Equal(0, result.ExitCode);
        var yaml = await File.ReadAllTextAsync(Path.Combine(dir, "manifest.yaml"));
        Assert.Contains("request_url: https://bot.example.org/slack/events", yaml, StringComparison.Ordinal);
        Assert.Contains("request_url: https://bot.example.org/slack/interactions", yaml, StringComparison.Ordinal);
        Directory.Delete(dir, recursive: true);
    }

    [Fact]
    public async Task Manifest_slack_socket_mode_prints_a_manifest_without_request_urls()
    {
        var result = await CliRunner.RunAsync("manifest", "slack", "--base-url", "https://bot.example.org", "--socket-mode");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("socket_mode_enabled: true", result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("request_url", result.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("manifest", "slack")]
    [InlineData("manifest", "slack", "--base-url", "http://plain.example")]
    [InlineData("manifest", "slack", "--base-url", "not-a-url")]
    public async Task Manifest_slack_without_an_https_base_url_exits_2(params string[] args)
    {
        var result = await CliRunner.RunAsync(args);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--base-url", result.Stderr, StringComparison.Ordinal);
    }
}
