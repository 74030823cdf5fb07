using System.CommandLine;
using SupportBot.Knowledge;
using SupportBot.Knowledge.Index;
using SupportBot.Knowledge.Ingestion;

namespace SupportBot.Host.Cli;

/// <summary><c>supportbot ingest PATH... [--index DIR]</c>: adds or updates articles in the knowledge index.</summary>
internal static class IngestCommand
{
    public static Command Create()
    {
        var paths = new Argument<string[]>("paths") { Description = "Files or folders (Markdown, text), read recursively.", Arity = ArgumentArity.OneOrMore };
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

            var failed = 0;
            var articles = KnowledgeFiles.ReadAll(paths, (file, reason) =>
            {
                failed++;
                Console.WriteLine($"failed  {file}: {reason}");
            }).Select(article =>
            {
                Console.WriteLine($"read    {article.Source}");
                return article;
            });

            var summary = await index.UpsertAsync(articles, cancellationToken);
            await host.StopAsync(cancellationToken);
            Console.WriteLine($"Ingested {summary.Articles} articles ({summary.Chunks} passages) into {index.Path}; {failed} failed.");
            return summary.Articles == 0 && failed > 0 ? SupportBotCli.Failure : SupportBotCli.Success;
        });
}
