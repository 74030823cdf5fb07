using System.CommandLine;
using Spectre.Console;
using SupportBot.Core.State;
using SupportBot.Knowledge;
using SupportBot.Knowledge.Connectors;
using SupportBot.Knowledge.Index;
using SupportBot.Knowledge.Ingestion;

namespace SupportBot.Host.Cli;

/// <summary>
/// <c>supportbot ingest PATH... [--index DIR]</c>: brings the knowledge index in line with files and
/// folders. <c>supportbot ingest --source NAME</c>: syncs one configured remote source (<c>Knowledge:Connectors:NAME</c>)
/// under its run lock. A progress display on a terminal, one plain line per item otherwise; a closing summary.
/// </summary>
internal static class IngestCommand
{
    public static Command Create()
    {
        var paths = new Argument<string[]>("paths") { Description = "Files or folders (Markdown, HTML, text, BEIR .jsonl), folders read recursively.", Arity = ArgumentArity.ZeroOrMore };
        var index = new Option<string?>("--index") { Description = "Index folder (default: Knowledge:IndexPath)." };
        var source = new Option<string?>("--source") { Description = "Sync one configured source (Knowledge:Connectors:NAME) instead of files." };
        var command = new Command("ingest", "Build or update the knowledge index from files and folders, or sync a configured source.") { paths, index, source };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction((result, cancellationToken) =>
        {
            // With no path required, the parser hands configuration tokens (--Key=value) to the paths argument.
            var given = result.GetValue(paths) ?? [];
            var files = given.Where(p => !p.StartsWith("--", StringComparison.Ordinal)).ToArray();
            IReadOnlyList<string> settings = [.. result.UnmatchedTokens, .. given.Where(p => p.StartsWith("--", StringComparison.Ordinal))];
            var name = result.GetValue(source);
            if ((files.Length == 0) == (name is null))
            {
                Console.Error.WriteLine("ingest: give files or folders, or --source NAME (one of the two). Run 'supportbot ingest --help' for usage.");
                return Task.FromResult(SupportBotCli.BadUsage);
            }

            return name is null
                ? RunAsync(files, result.GetValue(index), settings, cancellationToken)
                : SyncAsync(name, result.GetValue(index), settings, cancellationToken);
        });
        return command;
    }

    private static Task<int> SyncAsync(string source, string? indexPath, IReadOnlyList<string> configuration, CancellationToken cancellationToken) =>
        SupportBotCli.GuardConfigurationAsync(async () =>
        {
            var overrides = indexPath is null ? null : new Dictionary<string, string?> { [$"{KnowledgeOptions.Section}:IndexPath"] = indexPath };
            using var host = CliHost.Build(configuration, overrides);
            await host.StartAsync(cancellationToken);
            var sync = host.Services.GetRequiredService<KnowledgeSync>();
            try
            {
                sync.Resolve(source);
            }
            catch (SourceConfigurationException ex)
            {
                await Console.Error.WriteLineAsync($"Configuration error: {ex.Message}");
                return SupportBotCli.BadUsage;
            }

            await host.Services.GetRequiredService<KnowledgeIndex>().EnsureOpenAsync(cancellationToken);
            await using var lease = await host.Services.GetRequiredService<IRunLock>().TryAcquireAsync(KnowledgeSync.LockName(source), cancellationToken);
            if (lease is null)
            {
                await Console.Error.WriteLineAsync($"{source} is being synced by another replica now; try again when it is done.");
                return SupportBotCli.Failure;
            }

            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lease.Lost);
            SyncSummary summary;
            try
            {
                if (!Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive)
                {
                    summary = await AnsiConsole.Status().StartAsync($"Syncing {source}", context => sync.RunAsync(source, new StatusObserver(context), linked.Token));
                }
                else
                {
                    summary = await sync.RunAsync(source, new SyncLineObserver(), linked.Token);
                }
            }
            catch (ConnectorException ex)
            {
                await Console.Error.WriteLineAsync($"{source}: {ex.Message}. What was read so far is kept; the next run resumes from the cursor.");
                return SupportBotCli.Failure;
            }

            await host.StopAsync(cancellationToken);
            Console.WriteLine(
                $"Synced {summary.Source} ({(summary.Full ? "full" : "incremental")}{(summary.Resumed ? ", resumed" : string.Empty)}) into {sync.Options.ResolvedIndexPath}: " +
                $"{summary.Read} read, {summary.Added} added, {summary.Updated} updated, {summary.Removed} removed, {summary.Unchanged} unchanged.");
            return SupportBotCli.Success;
        });

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

    /// <summary>One line per article written or removed, per pause and per problem: for logs and pipes.</summary>
    private sealed class SyncLineObserver : ISyncObserver
    {
        public void Started(string source, bool full, bool resumed) =>
            Console.WriteLine($"syncing {source} ({(full ? "full" : "incremental")}{(resumed ? ", resuming an interrupted run" : string.Empty)})");

        public void Progress(SyncSummary sofar) =>
            Console.WriteLine($"progress  {sofar.Read} read, {sofar.Added} added, {sofar.Updated} updated, {sofar.Removed} removed, {sofar.Unchanged} unchanged");

        public void ArticleDone(string id, IngestOutcome outcome, string? detail)
        {
            if (outcome != IngestOutcome.Unchanged)
            {
                Console.WriteLine(detail is null ? $"{Label(outcome),-9} {id}" : $"{Label(outcome),-9} {id}: {detail}");
            }
        }

        public void Waiting(TimeSpan delay, string reason)
        {
            if (delay >= TimeSpan.FromSeconds(1))
            {
                Console.WriteLine($"{"waiting",-9} {delay.TotalSeconds:0.#} s: {reason}");
            }
        }

        public void Problem(string location, string reason) => Console.WriteLine($"{"problem",-9} {location}: {reason}");
    }

    /// <summary>A live status line on a terminal (a remote listing has no known length); problems printed above it.</summary>
    private sealed class StatusObserver(StatusContext context) : ISyncObserver
    {
        private string _source = string.Empty;

        public void Started(string source, bool full, bool resumed)
        {
            _source = source;
            context.Status($"Syncing {source} ({(full ? "full" : "incremental")}{(resumed ? ", resumed" : string.Empty)})");
        }

        public void Progress(SyncSummary sofar) =>
            context.Status($"Syncing {_source}: {sofar.Read} read, {sofar.Added} added, {sofar.Updated} updated, {sofar.Removed} removed");

        public void ArticleDone(string id, IngestOutcome outcome, string? detail)
        {
            if (outcome is IngestOutcome.Failed or IngestOutcome.Removed)
            {
                AnsiConsole.MarkupLineInterpolated($"[yellow]{Label(outcome)}[/] {id}{(detail is null ? string.Empty : ": " + detail)}");
            }
        }

        public void Waiting(TimeSpan delay, string reason) => context.Status($"Syncing {_source}: waiting {delay.TotalSeconds:0.#} s ({reason})");

        public void Problem(string location, string reason) => AnsiConsole.MarkupLineInterpolated($"[yellow]problem[/] {location}: {reason}");
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
