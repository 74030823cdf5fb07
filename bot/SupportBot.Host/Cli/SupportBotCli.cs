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
        var errors = parsed.Errors.Select(e => e.Message).Concat(StrayTokens(parsed.UnmatchedTokens)).ToList();
        if (errors.Count > 0)
        {
            foreach (var error in errors)
            {
                await Console.Error.WriteLineAsync(error);
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
        root.Subcommands.Add(ManifestCommand.Create());
        root.Subcommands.Add(AskCommand.Create());
        root.Subcommands.Add(EraseCommand.Create());
        root.Subcommands.Add(IngestCommand.Create());
        root.Subcommands.Add(EvalAnswersCommand.Create());
        root.Subcommands.Add(EvalCommand.Create());

        // No subcommand means serve.
        root.Options.Add(serve.Urls);
        root.TreatUnmatchedTokensAsErrors = false;
        root.SetAction((result, cancellationToken) => ServeCommand.RunAsync(result, serve.Urls));
        return root;
    }

    /// <summary>
    /// Tokens no command claims are configuration (<c>--Key=value</c> or <c>--Key value</c>); anything
    /// else (a mistyped command) is an error rather than silently starting the server.
    /// </summary>
    internal static IEnumerable<string> StrayTokens(IReadOnlyList<string> unmatched)
    {
        var expectingValue = false;
        foreach (var token in unmatched)
        {
            if (token.StartsWith("--", StringComparison.Ordinal) && token.Length > 2)
            {
                expectingValue = !token.Contains('=', StringComparison.Ordinal);
            }
            else if (expectingValue)
            {
                expectingValue = false;
            }
            else
            {
                yield return $"Unrecognized command or argument '{token}'.";
            }
        }
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
