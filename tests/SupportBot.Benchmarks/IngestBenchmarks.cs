using BenchmarkDotNet.Attributes;
using SupportBot.Knowledge.Articles;

namespace SupportBot.Benchmarks;

/// <summary>Chunking and indexing throughput: 10,000 passages into a fresh index per operation.</summary>
[MemoryDiagnoser]
public class IngestBenchmarks
{
    public const int Chunks = 10_000;
    private Article[] _articles = [];

    [GlobalSetup]
    public void Setup() => _articles = [.. SyntheticCorpus.Articles(Chunks)];

    [Benchmark(OperationsPerInvoke = Chunks)]
    public int IndexPassages()
    {
        var path = Path.Combine(Path.GetTempPath(), $"supportbot-bench-ingest-{Guid.NewGuid():N}");
        var (index, _) = SyntheticCorpus.Open(path);
        try
        {
            return index.UpsertAsync(_articles, default).GetAwaiter().GetResult();
        }
        finally
        {
            index.Dispose();
            Directory.Delete(path, recursive: true);
        }
    }
}
