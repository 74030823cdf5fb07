using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using SupportBot.Core.Answering;
using SupportBot.Knowledge;
using SupportBot.Knowledge.Evaluation;
using SupportBot.Knowledge.Index;

namespace SupportBot.Host.Cli;

/// <summary>The JSON printed by <c>eval --json</c> (docs/configuration.md): exactly these keys.</summary>
public sealed record EvalResult(
    [property: JsonPropertyName("recall@5")] double RecallAt5,
    [property: JsonPropertyName("recall@10")] double RecallAt10,
    [property: JsonPropertyName("mrr@10")] double MrrAt10,
    [property: JsonPropertyName("ndcg@10")] double NdcgAt10,
    [property: JsonPropertyName("queries")] int Queries,
    [property: JsonPropertyName("p50_ms")] double P50Ms,
    [property: JsonPropertyName("p99_ms")] double P99Ms,
    [property: JsonPropertyName("declined_unanswerable"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? DeclinedUnanswerable,
    [property: JsonPropertyName("answered_answerable"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? AnsweredAnswerable);

/// <summary>
/// <c>supportbot eval --corpus F --queries F --qrels F [--conversations F] [--answers F] [--k 10] [--json]</c>:
/// builds a temporary index from the corpus with the host's own composition and asks every query
/// through the same answering path chat uses.
/// </summary>
internal static class EvalCommand
{
    public static Command Create()
    {
        var corpus = new Option<string>("--corpus") { Description = "BEIR corpus.jsonl (_id, title, text).", Required = true };
        var queries = new Option<string>("--queries") { Description = "BEIR queries.jsonl (_id, text).", Required = true };
        var qrels = new Option<string>("--qrels") { Description = "qrels.tsv: header, then query-id, corpus-id, score.", Required = true };
        var conversations = new Option<string?>("--conversations") { Description = "conversations.jsonl: ask each query as the last turn of its thread." };
        var answers = new Option<string?>("--answers") { Description = "answers.jsonl (_id, answerability): also score declining and answering." };
        var k = new Option<int>("--k") { Description = "Corpus ids ranked per query.", DefaultValueFactory = _ => 10 };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of text." };
        var command = new Command("eval", "Measure retrieval quality (recall, MRR, nDCG, latency) on a BEIR-format set.")
        {
            corpus, queries, qrels, conversations, answers, k, json,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction((result, cancellationToken) => RunAsync(
            new Arguments(result.GetValue(corpus)!, result.GetValue(queries)!, result.GetValue(qrels)!, result.GetValue(conversations), result.GetValue(answers), result.GetValue(k), result.GetValue(json)),
            result.UnmatchedTokens,
            cancellationToken));
        return command;
    }

    private sealed record Arguments(string Corpus, string Queries, string Qrels, string? Conversations, string? Answers, int K, bool Json);

    private static Task<int> RunAsync(Arguments args, IReadOnlyList<string> configuration, CancellationToken cancellationToken) =>
        SupportBotCli.GuardConfigurationAsync(async () =>
        {
            if (args.K is < 1 or > 1000)
            {
                await Console.Error.WriteLineAsync("eval: --k must be between 1 and 1000");
                return SupportBotCli.BadUsage;
            }

            foreach (var file in new[] { args.Corpus, args.Queries, args.Qrels, args.Conversations, args.Answers })
            {
                if (file is not null && !File.Exists(file))
                {
                    await Console.Error.WriteLineAsync($"eval: no such file: {file}");
                    return SupportBotCli.BadUsage;
                }
            }

            BeirEvaluationSet set;
            try
            {
                set = await BeirEvaluationSet.LoadAsync(args.Queries, args.Qrels, args.Conversations, args.Answers, cancellationToken);
            }
            catch (InvalidDataException ex)
            {
                await Console.Error.WriteLineAsync($"eval: {ex.Message}");
                return SupportBotCli.BadUsage;
            }

            var indexPath = Path.Combine(Path.GetTempPath(), $"supportbot-eval-{Guid.NewGuid():N}");
            try
            {
                var overrides = new Dictionary<string, string?>
                {
                    [$"{KnowledgeOptions.Section}:IndexPath"] = indexPath,
                    [$"{KnowledgeOptions.Section}:Sources:0"] = Path.GetFullPath(args.Corpus),
                };
                using var host = CliHost.Build(configuration, overrides);
                await host.StartAsync(cancellationToken);
                var index = host.Services.GetRequiredService<KnowledgeIndex>();
                await index.EnsureOpenAsync(cancellationToken);
                if (index.Problem is { } problem)
                {
                    await Console.Error.WriteLineAsync($"eval: {problem}");
                    return SupportBotCli.Failure;
                }

                var evaluation = new RetrievalEvaluation(host.Services.GetRequiredService<AnswerService>(), TimeProvider.System);
                var report = await evaluation.RunAsync(set, args.K, progress: null, cancellationToken);
                await host.StopAsync(cancellationToken);
                Console.WriteLine(args.Json ? ToJson(report) : ToText(report, args));
                return SupportBotCli.Success;
            }
            finally
            {
                TryDelete(indexPath);
            }
        });

    internal static string ToJson(EvaluationReport report)
    {
        var o = report.Overall;
        var result = new EvalResult(
            Round(o.RecallAt5), Round(o.RecallAt10), Round(o.MrrAt10), Round(o.NdcgAt10), o.Queries,
            Math.Round(report.P50Ms, 3), Math.Round(report.P99Ms, 3),
            o.DeclinedUnanswerable is { } d ? Round(d) : null,
            o.AnsweredAnswerable is { } a ? Round(a) : null);
        return JsonSerializer.Serialize(result, HostJson.Default.EvalResult);
    }

    private static string ToText(EvaluationReport report, Arguments args)
    {
        var text = new StringBuilder();
        var mode = args.Conversations is null ? "last turn only" : "each query as the last turn of its thread";
        text.AppendLine(CultureInfo.InvariantCulture, $"Retrieval ({mode}), {report.Overall.Queries} judged queries");
        var labelled = report.Overall.DeclinedUnanswerable is not null;
        text.Append(CultureInfo.InvariantCulture, $"{"",-10} {"queries",7} {"R@5",6} {"R@10",6} {"MRR@10",6} {"nDCG@10",7}");
        text.AppendLine(labelled ? $" {"declined",8} {"answered",8}" : string.Empty);
        Row("all", report.Overall);
        foreach (var (domain, scores) in report.Domains)
        {
            Row(domain, scores);
        }

        text.Append(CultureInfo.InvariantCulture, $"latency p50 {report.P50Ms:0.00} ms, p99 {report.P99Ms:0.00} ms");
        if (labelled)
        {
            text.AppendLine().Append("declined = UNANSWERABLE questions declined; answered = ANSWERABLE questions answered");
        }

        return text.ToString();

        void Row(string name, RetrievalScores s)
        {
            text.Append(CultureInfo.InvariantCulture, $"{name,-10} {s.Queries,7} {s.RecallAt5,6:0.000} {s.RecallAt10,6:0.000} {s.MrrAt10,6:0.000} {s.NdcgAt10,7:0.000}");
            text.AppendLine(labelled ? string.Create(CultureInfo.InvariantCulture, $" {s.DeclinedUnanswerable,8:0.000} {s.AnsweredAnswerable,8:0.000}") : string.Empty);
        }
    }

    private static double Round(double value) => Math.Round(value, 4);

    private static void TryDelete(string path)
    {
        try
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
        }
        catch (IOException)
        {
        }
    }
}
