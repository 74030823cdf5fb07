using System.Diagnostics;
using System.Globalization;
using System.Numerics.Tensors;
using Lucene.Net.Util;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SupportBot.Core.Answering;
using SupportBot.Knowledge;
using SupportBot.Knowledge.Index;
using SupportBot.Knowledge.Search;
using SupportBot.Knowledge.Vectors;

namespace SupportBot.Benchmarks;

/// <summary>
/// <c>hybrid N [DIMENSIONS]</c>: one search at a time over N synthetic passages with random unit vectors
/// (384 dimensions unless given): p50/p99 of hybrid search (BM25 + dense + fusion, six passages with key
/// sentences and coverage), of BM25 alone on the same index, of the dense scan alone, and of an exact
/// float32 scan of the same vectors for comparison, with the dense scan's agreement with it.
/// </summary>
internal static class HybridLatency
{
    private const int Top = 6;

    public static async Task<int> RunAsync(int chunks, int dimensions)
    {
        var path = Path.Combine(Path.GetTempPath(), $"supportbot-bench-hybrid-{chunks}-{dimensions}");
        var searchOptions = Options.Create(new KnowledgeSearchOptions());
        using var index = new KnowledgeIndex(
            Options.Create(new KnowledgeOptions { IndexPath = path }),
            NullLogger<KnowledgeIndex>.Instance,
            searchOptions,
            new RandomEmbeddings(dimensions));
        var bm25 = new LuceneKnowledgeSearch(index, searchOptions);
        var hybrid = new HybridKnowledgeSearch(bm25, index, searchOptions, NullLogger<HybridKnowledgeSearch>.Instance);
        if (!Directory.Exists(path))
        {
            var started = Stopwatch.GetTimestamp();
            var written = await index.UpsertAsync(SyntheticCorpus.Articles(chunks), default);
            var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            Print($"ingested {written} passages with {dimensions}-dimension vectors in {seconds:0.0} s: {written / seconds:0} passages/s");
        }

        var opening = Stopwatch.GetTimestamp();
        await index.EnsureOpenAsync(default);
        Print($"opened in {Stopwatch.GetElapsedTime(opening).TotalMilliseconds:0} ms (reading the vectors into int8 matrices included)");
        var questions = SyntheticCorpus.Questions(2_000);
        var vectors = questions.Select(q => RandomEmbeddings.VectorOf(q, dimensions)).ToArray();
        var space = index.Embedder!.Space;
        var dense = index.Dense!;

        // Interleaved, question by question, so a busy machine weighs on all three alike.
        var depth = Top * LuceneKnowledgeSearch.Candidates;
        List<double> hybridTimes = [], bm25Times = [], denseTimes = [];
        for (var i = -200; i < questions.Length; i++)
        {
            var q = Math.Max(i, 0);
            var hybridTime = await TimeAsync(() => hybrid.SearchAsync(new SearchRequest(questions[q], [], Top), default));
            var bm25Time = await TimeAsync(() => bm25.SearchAsync(new SearchRequest(questions[q], [], Top), default));
            var denseTime = await TimeAsync(() => index.SearchAsync(s => dense.Search(s.IndexReader, vectors[q], depth, null, space), default));
            if (i >= 0)
            {
                hybridTimes.Add(hybridTime);
                bm25Times.Add(bm25Time);
                denseTimes.Add(denseTime);
            }
        }

        hybridTimes.Sort();
        bm25Times.Sort();
        denseTimes.Sort();
        var (exactTimes, agreement) = await ExactScanAsync(index, vectors, dense, space);
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        Print($"{chunks} passages × {dimensions} dimensions, {questions.Length} searches each, one at a time:");
        Print($"  hybrid (BM25 + dense + RRF, top {Top}): {Summary(hybridTimes)}");
        Print($"  BM25 alone, same index:                {Summary(bm25Times)}");
        Print($"  dense scan alone (int8 + exact rescoring, top {Top * LuceneKnowledgeSearch.Candidates}): {Summary(denseTimes)}");
        Print($"  exact float32 scan (TensorPrimitives.Dot per row, no index): {Summary(exactTimes)}");
        Print($"  dense top {Top * LuceneKnowledgeSearch.Candidates} equal to the exact scan's: {agreement:P2} of results");
        Print($"  working set {process.WorkingSet64 / (1024 * 1024)} MiB, peak {process.PeakWorkingSet64 / (1024 * 1024)} MiB, managed heap {GC.GetTotalMemory(false) / (1024 * 1024)} MiB");
        return 0;
    }

    private static async Task<double> TimeAsync<T>(Func<Task<T>> search)
    {
        var started = Stopwatch.GetTimestamp();
        await search();
        return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }

    /// <summary>The same vectors as one float32 matrix, scanned exactly (1,000 questions); and how often the dense index returns the same top.</summary>
    private static async Task<(List<double> Times, double Agreement)> ExactScanAsync(KnowledgeIndex index, float[][] queries, DenseIndex dense, long space)
    {
        var depth = Top * LuceneKnowledgeSearch.Candidates;
        return await index.SearchAsync(
            searcher =>
            {
                var reader = searcher.IndexReader;
                var dimensions = queries[0].Length;
                var matrix = new float[reader.MaxDoc * dimensions];
                var docs = new List<int>(reader.MaxDoc);
                var bytes = new BytesRef();
                foreach (var leaf in reader.Leaves)
                {
                    var values = leaf.AtomicReader.GetBinaryDocValues(IndexFields.Vector);
                    for (var doc = 0; doc < leaf.AtomicReader.MaxDoc; doc++)
                    {
                        values.Get(doc, bytes);
                        if (bytes.Length == dimensions * sizeof(float))
                        {
                            VectorCodec.Decode(bytes.Bytes.AsSpan(bytes.Offset, bytes.Length), matrix.AsSpan(docs.Count * dimensions, dimensions));
                            docs.Add(leaf.DocBase + doc);
                        }
                    }
                }

                var times = new List<double>(queries.Length);
                int same = 0, total = 0;
                for (var q = -100; q < 1_000; q++)
                {
                    var query = queries[Math.Max(q, 0)];
                    // Scores every row and keeps the best with a small heap, as the dense index does.
                    var started = Stopwatch.GetTimestamp();
                    var best = new PriorityQueue<int, float>(depth + 1);
                    for (var row = 0; row < docs.Count; row++)
                    {
                        var score = TensorPrimitives.Dot(matrix.AsSpan(row * dimensions, dimensions), query);
                        if (best.Count < depth)
                        {
                            best.Enqueue(row, score);
                        }
                        else if (best.TryPeek(out _, out var lowest) && score > lowest)
                        {
                            best.EnqueueDequeue(row, score);
                        }
                    }

                    if (q < 0)
                    {
                        continue; // Warm-up.
                    }

                    times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                    var exact = best.UnorderedItems.Select(e => docs[e.Element]).ToList();
                    if (q % 10 == 0)
                    {
                        var found = dense.Search(reader, query, depth, null, space).Select(h => h.Doc).ToHashSet();
                        same += exact.Count(found.Contains);
                        total += exact.Count;
                    }
                }

                times.Sort();
                return (times, (double)same / total);
            },
            default);
    }

    private static string Summary(List<double> times) => string.Create(
        CultureInfo.InvariantCulture,
        $"p50 {times[times.Count / 2]:0.000} ms, p99 {times[(int)(times.Count * 0.99)]:0.000} ms, max {times[^1]:0.000} ms");

    private static void Print(FormattableString line) => Console.WriteLine(line.ToString(CultureInfo.InvariantCulture));
}
