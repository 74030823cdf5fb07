using System.CommandLine;
using SupportBot.Slack.Manifest;

namespace SupportBot.Host.Cli;

/// <summary><c>supportbot manifest slack --base-url URL [--out DIR] [--socket-mode]</c>: the app manifest for a deployment.</summary>
internal static class ManifestCommand
{
    public static Command Create()
    {
        var manifest = new Command("manifest", "Write a chat platform's app manifest for a deployment.");
        manifest.Subcommands.Add(Slack());
        return manifest;
    }

    private static Command Slack()
    {
        var baseUrl = new Option<string>("--base-url") { Description = "Where the bot is reachable from Slack, e.g. https://supportbot.example.com.", Required = true };
        var outDir = new Option<string?>("--out") { Description = "Folder to write manifest.yaml into; prints it when omitted." };
        var socketMode = new Option<bool>("--socket-mode") { Description = "Events over Socket Mode (Slack:AppToken): no request URLs." };
        var command = new Command("slack", "Write the Slack app manifest (manifest.yaml).") { baseUrl, outDir, socketMode };
        command.SetAction((result, cancellationToken) =>
            WriteAsync(result.GetValue(baseUrl)!, result.GetValue(outDir), result.GetValue(socketMode), cancellationToken));
        return command;
    }

    private static async Task<int> WriteAsync(string baseUrl, string? outDir, bool socketMode, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(baseUrl, UriKind.Absolute, out var url) || url.Scheme != Uri.UriSchemeHttps)
        {
            await Console.Error.WriteLineAsync($"manifest slack: --base-url must be an absolute https URL (Slack only calls https), got '{baseUrl}'.");
            return SupportBotCli.BadUsage;
        }

        var yaml = SlackManifest.Render(url, socketMode);
        if (outDir is null)
        {
            Console.Write(yaml);
            return SupportBotCli.Success;
        }

        try
        {
            Directory.CreateDirectory(outDir);
            var path = Path.Combine(outDir, SlackManifest.FileName);
            await File.WriteAllTextAsync(path, yaml, cancellationToken);
            Console.WriteLine($"Wrote {path}");
            return SupportBotCli.Success;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await Console.Error.WriteLineAsync($"manifest slack: cannot write to '{outDir}': {ex.Message}");
            return SupportBotCli.Failure;
        }
    }
}
