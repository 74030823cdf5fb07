using System.CommandLine;
using Microsoft.Extensions.Options;

namespace SupportBot.Host.Cli;

/// <summary>The <c>supportbot</c> command line: <c>serve</c> (default), <c>ask</c>, <c>ingest</c>.</summary>
public static class SupportBotCli
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int BadUsage = 2;

    public static async Task<int> InvokeAsync(string[] args)
    {
        var root = Build();
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                await Console.Error.WriteLineAsync(error.Message);
            }

            await Console.Error.WriteLineAsync("Run 'supportbot --help' for usage.");
            return BadUsage;
        }

        // The host handles Ctrl+C and SIGTERM itself (graceful shutdown); the parser must not race it.
        return await parsed.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
    }

    internal static RootCommand Build()
    {
        var root = new RootCommand("SupportBot: answers support agents' product questions in Slack, Teams and a local web chat.");
        var serve = ServeCommand.Create();
        root.Subcommands.Add(serve.Command);
        root.Subcommands.Add(AskCommand.Create());
        root.Subcommands.Add(IngestCommand.Create());

        // No subcommand means serve.
        root.Options.Add(serve.Urls);
        root.TreatUnmatchedTokensAsErrors = false;
        root.SetAction((result, cancellationToken) => ServeCommand.RunAsync(result, serve.Urls));
        return root;
    }

    /// <summary>Runs <paramref name="action"/>, turning invalid configuration into exit code 2 with the key named.</summary>
    internal static async Task<int> GuardConfigurationAsync(Func<Task<int>> action)
    {
        try
        {
            return await action();
        }
        catch (OptionsValidationException ex)
        {
            foreach (var failure in ex.Failures)
            {
                await Console.Error.WriteLineAsync($"Configuration error: {failure}");
            }

            return BadUsage;
        }
        catch (InvalidOperationException ex) when (ex.Message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal))
        {
            await Console.Error.WriteLineAsync($"Configuration error: {ex.Message}");
            return BadUsage;
        }
    }
}
