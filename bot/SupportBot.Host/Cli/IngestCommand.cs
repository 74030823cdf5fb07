using System.CommandLine;
using Spectre.Console;
using SupportBot.Knowledge;
using SupportBot.Knowledge.Index;
using SupportBot.Knowledge.Ingestion;

namespace SupportBot.Host.Cli;

/// <summary>
/// <c>supportbot ingest PATH... [--index DIR]</c>: brings the knowledge index in line with files and
/// folders. A progress bar on a terminal, one plain line per file otherwise; a closing summary.
/// </summary>
internal static class IngestCommand
{
    public static Command Create()
    {
        var paths = new Argument<string[]>("paths") { Description = "Files or folders (Markdown, HTML, text, BEIR .jsonl), folders read recursively.", Arity = ArgumentArity.OneOrMore };
        var index = new Option<string?>("--index") { Description = "Index folder (default: Knowledge:IndexPath)." };
        var command = new Command("ingest", "Build or update the knowledge index from files and folders.") { paths, index };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction((result, cancellationToken) =>
            RunAsync(result.GetValue(paths) ?? [], result.GetValue(index), result.UnmatchedTokens, cancellationToken));
        return command;
    }

    private static Task<int> RunAsync(string[] paths, string? indexPath, IReadOnlyList<string> configuration, CancellationToken cancellationToken) =>
        SupportBotCli.GuardConfigurationAsync(async () =>
        {
            var overrides = indexPath is null ? null : new Dictionary<string, string?> { [$"{KnowledgeOptions.Section}:IndexPath"] = indexPath };
            using var host = CliHost.Build(configuration, overrides);
            await host.StartAsync(cancellationToken);
            var index = host.Services.GetRequiredService<KnowledgeIndex>();

            IngestSummary summary;
            if (!Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive)
            {
                summary = await AnsiConsole.Progress()
                    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                    .StartAsync(async context =>
                    {
                        var task = context.AddTask("Ingesting", autoStart: true, maxValue: 1);
                        return await index.IngestAsync(paths, new ProgressBarObserver(task), cancellationToken);
                    });
            }
            else
            {
                summary = await index.IngestAsync(paths, new LineObserver(), cancellationToken);
            }

            await host.StopAsync(cancellationToken);
            Console.WriteLine(
                $"Ingested into {index.Path}: {summary.Added} added, {summary.Updated} updated, {summary.Removed} removed, " +
                $"{summary.Unchanged} unchanged, {summary.Failed} failed ({summary.Chunks} passages written" +
                (summary.Embedded > 0 ? $", {summary.Embedded} with vectors)." : ")."));
            var usable = summary.Added + summary.Updated + summary.Unchanged + summary.Removed;
            return usable == 0 && summary.Failed > 0 ? SupportBotCli.Failure : SupportBotCli.Success;
        });

    private static string Label(IngestOutcome outcome) => outcome.ToString().ToLowerInvariant();

    /// <summary>One line per file: for logs and pipes.</summary>
    private sealed class LineObserver : IIngestObserver
    {
        public void Started(int files) => Console.WriteLine($"{files} files to check");

        public void FileDone(string path, IngestOutcome outcome, string? reason) =>
            Console.WriteLine(reason is null ? $"{Label(outcome),-9} {path}" : $"{Label(outcome),-9} {path}: {reason}");

        public void Problem(string location, string reason) => Console.WriteLine($"{"failed",-9} {location}: {reason}");
    }

    /// <summary>A bar on a terminal; failures and removals are printed above it, unchanged files only counted.</summary>
    private sealed class ProgressBarObserver(ProgressTask task) : IIngestObserver
    {
        public void Started(int files) => task.MaxValue = Math.Max(1, files);

        public void FileDone(string path, IngestOutcome outcome, string? reason)
        {
            if (outcome is IngestOutcome.Failed or IngestOutcome.Removed)
            {
                AnsiConsole.MarkupLineInterpolated($"[yellow]{Label(outcome)}[/] {path}{(reason is null ? string.Empty : ": " + reason)}");
            }

            if (outcome != IngestOutcome.Removed)
            {
                task.Increment(1);
            }

            task.Description = $"Ingesting {Path.GetFileName(path)}";
        }

        public void Problem(string location, string reason) => AnsiConsole.MarkupLineInterpolated($"[yellow]failed[/] {location}: {reason}");
    }
}
