using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using SupportBot.Core.Answering;
using SupportBot.Host.Evaluation;
using SupportBot.Knowledge;
using SupportBot.Knowledge.Ingestion;

namespace SupportBot.Host.Cli;

/// <summary>
/// <c>supportbot eval-answers [--questions F] [--json]</c>: answer quality over a question set (by default the
/// built-in one for the sample knowledge base), with whatever drafter is configured.
/// </summary>
internal static class EvalAnswersCommand
{
    public static Command Create()
    {
        var questions = new Option<string?>("--questions") { Description = "JSON Lines of {\"question\", \"article\"} (article null = out of scope)." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object." };
        var command = new Command("eval-answers", "Measure answer quality: refusals, answers, cited articles, supported sentences.") { questions, json };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction((result, cancellationToken) =>
            RunAsync(result.GetValue(questions), result.GetValue(json), result.UnmatchedTokens, cancellationToken));
        return command;
    }

    private static Task<int> RunAsync(string? questionsPath, bool json, IReadOnlyList<string> configuration, CancellationToken cancellationToken) =>
        SupportBotCli.GuardConfigurationAsync(async () =>
        {
            var path = questionsPath ?? Path.Combine(AppContext.BaseDirectory, "samples", "eval", "answer-questions.jsonl");
            if (!File.Exists(path))
            {
                await Console.Error.WriteLineAsync($"eval-answers: no question set at {path}");
                return SupportBotCli.BadUsage;
            }

            using var host = CliHost.Build(configuration);
            await host.StartAsync(cancellationToken);
            var sources = host.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<KnowledgeOptions>>().Value.ResolvedSources;
            var articles = ReadArticles(sources);
            var quality = await AnswerEvaluation.RunAsync(host.Services.GetRequiredService<AnswerService>(), AnswerEvaluation.ReadQuestions(path), articles, cancellationToken);
            await host.StopAsync(cancellationToken);

            Console.WriteLine(json ? JsonSerializer.Serialize(quality, HostJson.Default.AnswerQuality) : Format(quality));
            return SupportBotCli.Success;
        });

    /// <summary>The articles of the knowledge sources by their source path: what cited sentences are checked against.</summary>
    private static Dictionary<string, SupportBot.Knowledge.Articles.Article> ReadArticles(IReadOnlyList<string> sources)
    {
        var articles = new Dictionary<string, SupportBot.Knowledge.Articles.Article>(StringComparer.Ordinal);
        foreach (var file in KnowledgeFiles.Discover(sources, (_, _) => { }))
        {
            if (KnowledgeFiles.Check(file, out var checkedFile) is null && KnowledgeFiles.Parse(checkedFile!, (_, _) => { }, out var parsed) is null)
            {
                foreach (var article in parsed)
                {
                    articles.TryAdd(article.Source, article);
                }
            }
        }

        return articles;
    }

    private static string Format(AnswerQuality q) => string.Create(CultureInfo.InvariantCulture, $"""
        provider              {q.Provider}{(q.Fallbacks > 0 ? $" ({q.Fallbacks} fallbacks)" : string.Empty)}
        answerable questions  {q.Answerable}, answered {q.AnsweredAnswerable:P0}
        out-of-scope          {q.OutOfScope}, declined {q.DeclinedOutOfScope:P0}
        right article cited   {q.CitedRightArticle:P0} of confident answers
        supported sentences   {q.SupportedSentences:P0} of cited sentences
        """);
}
