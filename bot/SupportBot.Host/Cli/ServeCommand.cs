using System.CommandLine;

namespace SupportBot.Host.Cli;

/// <summary><c>supportbot serve [--urls URL]</c>: runs the bot host until Ctrl+C.</summary>
internal static class ServeCommand
{
    public static (Command Command, Option<string?> Urls) Create()
    {
        var urls = new Option<string?>("--urls") { Description = $"Where to listen (also ASPNETCORE_URLS, ASPNETCORE_HTTP_PORTS or Kestrel:Endpoints; {SupportBotWebApp.DefaultUrl} when none is given)." };
        var command = new Command("serve", "Run the bot host: chat endpoints, local web chat and dashboard.") { urls };
        // Anything else on the line is configuration, e.g. --Redis:Configuration=localhost:6379.
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction((result, cancellationToken) => RunAsync(result, urls));
        return (command, urls);
    }

    public static Task<int> RunAsync(ParseResult result, Option<string?> urls)
    {
        var args = result.UnmatchedTokens.ToList();
        if (result.GetValue(urls) is { Length: > 0 } value)
        {
            args.Add($"--urls={value}");
        }

        return SupportBotCli.GuardConfigurationAsync(async () =>
        {
            await using var app = SupportBotWebApp.Create([.. args]);
            await app.RunAsync();
            return SupportBotCli.Success;
        });
    }
}
