using BenchmarkDotNet.Attributes;
using SupportBot.Core.Answering;
using SupportBot.Knowledge.Index;
using SupportBot.Knowledge.Search;

namespace SupportBot.Benchmarks;

/// <summary>BM25 search (six passages with key sentences and coverage, as chat asks) over synthetic indexes.</summary>
[MemoryDiagnoser]
public class SearchBenchmarks
{
    private string _path = string.Empty;
    private KnowledgeIndex? _index;
    private LuceneKnowledgeSearch? _search;
    private string[] _questions = [];
    private int _next;

    [Params(10_000, 100_000)]
    public int Chunks { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _path = Path.Combine(Path.GetTempPath(), $"supportbot-bench-{Chunks}");
        (_index, _search) = SyntheticCorpus.Open(_path);
        if (!Directory.Exists(_path))
        {
            _index.UpsertAsync(SyntheticCorpus.Articles(Chunks), default).GetAwaiter().GetResult();
        }

        _index.EnsureOpenAsync(default).GetAwaiter().GetResult();
        _questions = SyntheticCorpus.Questions(256);
    }

    [Benchmark]
    public IReadOnlyList<SearchHit> Question() =>
        _search!.SearchAsync(new SearchRequest(_questions[_next++ & 255], [], 6), default).GetAwaiter().GetResult();

    [Benchmark]
    public IReadOnlyList<SearchHit> FollowUp() =>
        _search!.SearchAsync(new SearchRequest(_questions[_next++ & 255], [_questions[(_next + 7) & 255], _questions[(_next + 13) & 255]], 6), default).GetAwaiter().GetResult();

    [GlobalCleanup]
    public void Cleanup() => _index?.Dispose();
}
