using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using SupportBot.Core.Answering;
using SupportBot.Knowledge;
using SupportBot.Knowledge.Evaluation;
using SupportBot.Knowledge.Index;
using SupportBot.Knowledge.Search;
using SupportBot.Knowledge.Vectors;

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
        var crossValidate = new Option<bool>("--cross-validate")
        {
            Description = "Choose the fusion and the answer threshold on one half of the queries (split by conversation), report on the other, both ways round.",
        };
        var embeddingCache = new Option<string?>("--embedding-cache") { Description = "A file that keeps embeddings between runs, so passages and questions are embedded once." };
        var command = new Command("eval", "Measure retrieval quality (recall, MRR, nDCG, latency) on a BEIR-format set.")
        {
            corpus, queries, qrels, conversations, answers, k, json, crossValidate, embeddingCache,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction((result, cancellationToken) => RunAsync(
            new Arguments(
                result.GetValue(corpus)!, result.GetValue(queries)!, result.GetValue(qrels)!, result.GetValue(conversations), result.GetValue(answers),
                result.GetValue(k), result.GetValue(json), result.GetValue(crossValidate), result.GetValue(embeddingCache)),
            result.UnmatchedTokens,
            cancellationToken));
        return command;
    }

    private sealed record Arguments(string Corpus, string Queries, string Qrels, string? Conversations, string? Answers, int K, bool Json, bool CrossValidate, string? EmbeddingCache);

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
            using var embeddings = new SharedEmbeddings(args.EmbeddingCache);
            try
            {
                var index = new Dictionary<string, string?>
                {
                    [$"{KnowledgeOptions.Section}:IndexPath"] = indexPath,
                    [$"{KnowledgeOptions.Section}:Sources:0"] = Path.GetFullPath(args.Corpus),
                };

                // The configured settings first: this run builds the index (with vectors when a model is configured).
                var (report, hybrid) = await EvaluateAsync(configuration, index, embeddings, set, args.K, cancellationToken);
                if (report is null)
                {
                    return SupportBotCli.Failure;
                }

                EvaluationReport? bm25 = null;
                if (hybrid && !args.Json)
                {
                    (bm25, _) = await EvaluateAsync(configuration, With(index, Bm25Only), embeddings, set, args.K, cancellationToken);
                }

                if (args.CrossValidate)
                {
                    var runs = new List<CandidateRun>();
                    foreach (var (name, ranking, settings) in CrossValidationGrid(hybrid))
                    {
                        var (run, _) = await EvaluateAsync(configuration, With(index, settings), embeddings, set, args.K, cancellationToken);
                        runs.Add(new CandidateRun(name, run!.Outcomes, ranking));
                    }

                    var labelled = set.Answers.Count > 0;
                    var halves = CrossValidation.Split(set.Queries.Keys.Select(id => (id, set.Answers.GetValueOrDefault(id)?.Answerability)));

                    // BM25 alone and hybrid each tuned the same way (the threshold too), side by side; then the choice among all.
                    var pools = new List<(string Pool, IReadOnlyList<FoldResult> Folds)>
                    {
                        ("bm25", CrossValidation.Run([.. runs.Where(r => r.RankingKey == Bm25Ranking)], halves, labelled)),
                    };
                    if (runs.Any(r => r.RankingKey != Bm25Ranking))
                    {
                        pools.Add(("hybrid", CrossValidation.Run([.. runs.Where(r => r.RankingKey != Bm25Ranking)], halves, labelled)));
                        pools.Add(("either", CrossValidation.Run(runs, halves, labelled)));
                    }

                    var (whole, threshold) = CrossValidation.Choose(runs, _ => true, labelled);
                    var chosen = string.Create(CultureInfo.InvariantCulture, $"chosen the same way on all queries (what the defaults should be): {whole.Name}{(labelled ? $", min coverage {threshold:0.000}" : string.Empty)}");
                    Console.WriteLine(args.Json ? ToJson(report) : ToText(report, args, bm25) + Environment.NewLine + Environment.NewLine + ToText(runs, halves, pools, labelled) + Environment.NewLine + chosen);
                }
                else
                {
                    Console.WriteLine(args.Json ? ToJson(report) : ToText(report, args, bm25));
                }

                return SupportBotCli.Success;
            }
            finally
            {
                embeddings.Save();
                TryDelete(indexPath);
            }
        });

    private const string Bm25Ranking = "bm25";

    /// <summary>Settings that turn the embedding model off: BM25 alone, on the same index.</summary>
    private static readonly Dictionary<string, string?> Bm25Only = new() { [$"{EmbeddingOptions.Section}:Provider"] = EmbeddingProviders.None };

    /// <summary>
    /// The settings cross-validation chooses among: BM25 alone first (so a tie keeps it), then, with an embedding model,
    /// each fusion at several dense weights. The answer threshold is chosen afterwards from the same runs.
    /// </summary>
    internal static IEnumerable<(string Name, string Ranking, Dictionary<string, string?> Settings)> CrossValidationGrid(bool hybrid)
    {
        yield return (Bm25Ranking, Bm25Ranking, Bm25Only);
        if (!hybrid)
        {
            yield break;
        }

        foreach (var fusion in new[] { FusionMethods.Rrf, FusionMethods.Score })
        {
            foreach (var weight in new[] { 0.25, 0.5, 0.75, 1.0, 1.5, 2.0 })
            {
                foreach (var share in new[] { 0.0, 0.25, 0.5, 0.75 })
                {
                    var ranking = $"{fusion} {weight.ToString(CultureInfo.InvariantCulture)}";
                    yield return (share == 0 ? ranking : $"{ranking} cos {share.ToString(CultureInfo.InvariantCulture)}", ranking, new()
                    {
                        [$"{KnowledgeSearchOptions.Section}:Fusion"] = fusion,
                        [$"{KnowledgeSearchOptions.Section}:DenseWeight"] = weight.ToString(CultureInfo.InvariantCulture),
                        [$"{KnowledgeSearchOptions.Section}:CoverageDenseShare"] = share.ToString(CultureInfo.InvariantCulture),

                        // Coverage reported as blended, so the thresholds tried are in its own units.
                        [$"{KnowledgeSearchOptions.Section}:HybridMinCoverage"] = "0",
                    });
                }
            }
        }
    }

    private static Dictionary<string, string?> With(Dictionary<string, string?> first, Dictionary<string, string?> second)
    {
        var merged = new Dictionary<string, string?>(first);
        foreach (var (key, value) in second)
        {
            merged[key] = value;
        }

        return merged;
    }

    /// <summary>One evaluation with <paramref name="overrides"/> on top of the configuration; null report when the index is unusable.</summary>
    private static async Task<(EvaluationReport? Report, bool Hybrid)> EvaluateAsync(
        IReadOnlyList<string> configuration, Dictionary<string, string?> overrides, SharedEmbeddings embeddings, BeirEvaluationSet set, int k, CancellationToken cancellationToken)
    {
        using var host = CliHost.Build(configuration, overrides, embeddings.Share);
        await host.StartAsync(cancellationToken);
        var index = host.Services.GetRequiredService<KnowledgeIndex>();
        await index.EnsureOpenAsync(cancellationToken);
        if (index.Problem is { } problem)
        {
            await Console.Error.WriteLineAsync($"eval: {problem}");
            return (null, false);
        }

        var evaluation = new RetrievalEvaluation(host.Services.GetRequiredService<AnswerService>(), TimeProvider.System);
        var report = await evaluation.RunAsync(set, k, progress: null, cancellationToken);
        await host.StopAsync(cancellationToken);
        return (report, host.Services.GetService<Microsoft.Extensions.AI.IEmbeddingGenerator<string, Microsoft.Extensions.AI.Embedding<float>>>() is not null);
    }

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

    private static string ToText(EvaluationReport report, Arguments args, EvaluationReport? bm25)
    {
        var text = new StringBuilder();
        var mode = args.Conversations is null ? "last turn only" : "each query as the last turn of its thread";
        text.AppendLine(CultureInfo.InvariantCulture, $"Retrieval ({mode}), {report.Overall.Queries} judged queries{(bm25 is null ? string.Empty : ", hybrid (BM25 + dense)")}");
        var labelled = report.Overall.DeclinedUnanswerable is not null;
        text.Append(CultureInfo.InvariantCulture, $"{"",-10} {"queries",7} {"R@5",6} {"R@10",6} {"MRR@10",6} {"nDCG@10",7}");
        text.AppendLine(labelled ? $" {"declined",8} {"answered",8}" : string.Empty);
        Row("all", report.Overall);
        foreach (var (domain, scores) in report.Domains)
        {
            Row(domain, scores);
        }

        if (bm25 is not null)
        {
            Row("bm25 only", bm25.Overall);
        }

        text.Append(CultureInfo.InvariantCulture, $"latency p50 {report.P50Ms:0.00} ms, p99 {report.P99Ms:0.00} ms");
        if (bm25 is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $" (bm25 only: p50 {bm25.P50Ms:0.00} ms, p99 {bm25.P99Ms:0.00} ms)");
        }
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

    /// <summary>
    /// Every setting tried, per half; then, for each pool of settings (BM25 alone, hybrid, either), what each fold chose
    /// on its half and how that did on the half it did not see, and the gap between the two.
    /// </summary>
    internal static string ToText(IReadOnlyList<CandidateRun> runs, IReadOnlyDictionary<string, string> halves, IReadOnlyList<(string Pool, IReadOnlyList<FoldResult> Folds)> pools, bool labelled)
    {
        var text = new StringBuilder();
        var sizes = halves.Values.GroupBy(h => h).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} {g.Count()}");
        text.AppendLine(CultureInfo.InvariantCulture, $"Cross-validation: two halves by conversation ({string.Join(", ", sizes)} queries); nDCG@10 of each setting");
        text.AppendLine(CultureInfo.InvariantCulture, $"{"setting",-12} {"all",6} {"half A",6} {"half B",6}");
        foreach (var run in runs.DistinctBy(r => r.RankingKey))
        {
            double Ndcg(string? half) => RetrievalEvaluation.Score([.. run.Outcomes.Where(o => half is null || halves.GetValueOrDefault(o.Id) == half)], labelled).NdcgAt10;
            text.AppendLine(CultureInfo.InvariantCulture, $"{run.RankingKey,-12} {Ndcg(null),6:0.000} {Ndcg(CrossValidation.HalfA),6:0.000} {Ndcg(CrossValidation.HalfB),6:0.000}");
        }

        text.AppendLine();
        text.Append(CultureInfo.InvariantCulture, $"{"pool",-6} {"tuned on",-8} {"chosen",-20} {"min cov",7} {"half",4} {"nDCG@10",7}");
        text.AppendLine(labelled ? $" {"declined",8} {"answered",8}" : string.Empty);
        foreach (var (pool, folds) in pools)
        {
            foreach (var fold in folds)
            {
                var other = fold.Tuned == CrossValidation.HalfA ? CrossValidation.HalfB : CrossValidation.HalfA;
                Line(pool, fold, fold.Tuned, fold.OnTuned);
                Line(pool, fold, other, fold.OnOther);
            }
        }

        foreach (var (pool, folds) in pools)
        {
            var ndcgGap = folds.Average(f => f.OnTuned.NdcgAt10 - f.OnOther.NdcgAt10);
            var unseen = folds.Select(f => f.OnOther).ToList();
            text.Append(CultureInfo.InvariantCulture, $"{pool}: on the unseen halves (mean) nDCG@10 {unseen.Average(s => s.NdcgAt10):0.000}");
            if (labelled)
            {
                text.Append(CultureInfo.InvariantCulture, $", declined {unseen.Average(s => s.DeclinedUnanswerable ?? 0):0.000}, answered {unseen.Average(s => s.AnsweredAnswerable ?? 0):0.000}");
            }

            text.Append(CultureInfo.InvariantCulture, $"; gap (tuned half minus other half, mean of both folds) nDCG@10 {ndcgGap:+0.000;-0.000;0.000}");
            if (labelled)
            {
                var declined = folds.Average(f => (f.OnTuned.DeclinedUnanswerable ?? 0) - (f.OnOther.DeclinedUnanswerable ?? 0));
                var answered = folds.Average(f => (f.OnTuned.AnsweredAnswerable ?? 0) - (f.OnOther.AnsweredAnswerable ?? 0));
                text.Append(CultureInfo.InvariantCulture, $", declined {declined:+0.000;-0.000;0.000}, answered {answered:+0.000;-0.000;0.000}");
            }

            text.AppendLine();
        }

        return text.ToString();

        void Line(string pool, FoldResult fold, string half, RetrievalScores s)
        {
            text.Append(CultureInfo.InvariantCulture, $"{pool,-6} {fold.Tuned,-8} {fold.Chosen,-20} {fold.MinCoverage,7:0.000} {half,4} {s.NdcgAt10,7:0.000}");
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
