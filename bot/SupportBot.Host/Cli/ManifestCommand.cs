using System.CommandLine;
using SupportBot.Slack.Manifest;
using SupportBot.Teams.Package;

namespace SupportBot.Host.Cli;

/// <summary>
/// <c>supportbot manifest slack --base-url URL [--out DIR] [--socket-mode]</c> (the Slack app manifest) and
/// <c>supportbot manifest teams --base-url URL [--out DIR]</c> (the Teams app package) for a deployment.
/// </summary>
internal static class ManifestCommand
{
    public static Command Create()
    {
        var manifest = new Command("manifest", "Write a chat platform's app manifest for a deployment.");
        manifest.Subcommands.Add(Slack());
        manifest.Subcommands.Add(Teams());
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

    private static Command Teams()
    {
        var baseUrl = new Option<string>("--base-url") { Description = "Public https URL of the bot host (POST /api/messages lives under it).", Required = true };
        var output = new Option<string?>("--out") { Description = "Folder for the zip (default: the current folder)." };
        var command = new Command("teams", $"Write the Teams app package ({TeamsAppPackage.FileName}: manifest.json, color.png, outline.png) to upload to Teams. Needs Teams:AppId.")
        {
            baseUrl, output,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction((result, cancellationToken) =>
            WriteTeamsAsync(result.GetValue(baseUrl) ?? string.Empty, result.GetValue(output), result.UnmatchedTokens));
        return command;
    }

    private static async Task<int> WriteTeamsAsync(string baseUrl, string? output, IReadOnlyList<string> settings)
    {
        if (!Uri.TryCreate(baseUrl, UriKind.Absolute, out var url) || url.Scheme != Uri.UriSchemeHttps)
        {
            await Console.Error.WriteLineAsync($"manifest teams: --base-url must be an absolute https URL (Teams calls the bot over https), not '{baseUrl}'.");
            return SupportBotCli.BadUsage;
        }

        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
            .AddEnvironmentVariables()
            .AddCommandLine([.. settings])
            .Build();
        var appId = configuration["Teams:AppId"];
        if (!Guid.TryParse(appId, out _))
        {
            await Console.Error.WriteLineAsync(string.IsNullOrWhiteSpace(appId)
                ? "Configuration error: Teams:AppId: is required for the Teams app package (the bot registration's Microsoft App ID), e.g. --Teams:AppId=00000000-0000-0000-0000-000000000000."
                : $"Configuration error: Teams:AppId: '{appId}' is not a Microsoft App ID (a GUID).");
            return SupportBotCli.BadUsage;
        }

        var path = TeamsAppPackage.Write(appId!, url, Path.GetFullPath(output ?? "."));
        Console.WriteLine($"Wrote {path}: upload it in Teams (Apps → Manage your apps → Upload an app). Messaging endpoint: {new Uri(url, "/api/messages")}");
        return SupportBotCli.Success;
    }
}
