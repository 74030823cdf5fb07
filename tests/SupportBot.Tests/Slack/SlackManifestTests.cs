using SupportBot.Slack.Interactions;
using SupportBot.Slack.Manifest;

namespace SupportBot.Tests.Slack;

public sealed class SlackManifestTests
{
    private static readonly Uri Base = new("https://supportbot.example.com/");

    [Fact]
    public void The_http_manifest_points_every_request_url_at_the_base_url()
    {
        var yaml = SlackManifest.Render(Base, socketMode: false);
        Assert.Contains("    request_url: https://supportbot.example.com/slack/events\n", yaml, StringComparison.Ordinal);
        Assert.Contains("    request_url: https://supportbot.example.com/slack/interactions\n", yaml, StringComparison.Ordinal);
        Assert.Equal(4, yaml.Split("url: https://supportbot.example.com/slack/commands").Length - 1);
        Assert.Contains("socket_mode_enabled: false", yaml, StringComparison.Ordinal);
        foreach (var scope in SlackManifest.BotScopes)
        {
            Assert.Contains($"      - {scope}\n", yaml, StringComparison.Ordinal);
        }

        foreach (var (callbackId, name, _) in MessageShortcuts.All)
        {
            Assert.Contains($"    - name: {name}\n      type: message\n      callback_id: {callbackId}\n", yaml, StringComparison.Ordinal);
            Assert.InRange(name.Length, 1, 24);
        }

        Assert.DoesNotContain("chat:write.public", yaml, StringComparison.Ordinal);
        Assert.DoesNotContain("channels:read", yaml, StringComparison.Ordinal);
    }

    [Fact]
    public void The_socket_mode_manifest_has_no_request_urls()
    {
        var yaml = SlackManifest.Render(Base, socketMode: true);
        Assert.DoesNotContain("url:", yaml, StringComparison.Ordinal);
        Assert.Contains("socket_mode_enabled: true", yaml, StringComparison.Ordinal);
        Assert.Contains("      - message.im\n", yaml, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("manifest.yaml", false)]
    [InlineData("manifest.socket-mode.yaml", true)]
    public void The_checked_in_manifests_are_what_the_command_writes(string file, bool socketMode)
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "SupportBot.sln")))
        {
            root = root.Parent;
        }

        Assert.NotNull(root);
        var checkedIn = File.ReadAllText(Path.Combine(root.FullName, "manifests", "slack", file));
        Assert.Equal(SlackManifest.Render(Base, socketMode), checkedIn);
    }
}
