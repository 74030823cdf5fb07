using System.Numerics.Tensors;
using Lucene.Net.Index;
using Lucene.Net.Store;
using SupportBot.Knowledge.Articles;
using SupportBot.Knowledge.Index;
using SupportBot.Knowledge.Ingestion;
using SupportBot.Knowledge.Vectors;

namespace SupportBot.Tests.Knowledge.Vectors;

public sealed class DenseIndexTests : IDisposable
{
    private const int Dimensions = 96;
    private readonly RAMDirectory _directory = new();

    private static Chunk Passage(int n) =>
        new($"a{n}#0", $"a{n}", $"Article {n}", null, n % 3 == 0 ? "payouts" : "general", $"https://kb.example/a{n}", $"a{n}.md", $"Passage number {n}.");

    /// <summary>Writes passages with their vectors through the ingest path, several segments, and deletes some.</summary>
    private async Task<DirectoryReader> IndexAsync(int passages, IEnumerable<int> deleted, string model = "seeded")
    {
        var config = new IndexWriterConfig(KnowledgeIndex.Version, KnowledgeIndex.Analyzer) { OpenMode = OpenMode.CREATE_OR_APPEND, MaxBufferedDocs = 400 };
        using (var writer = new IndexWriter(_directory, config))
        {
            var embedder = new PassageEmbedder(new SeededEmbeddings(Dimensions, model));
            var passageWriter = new PassageWriter(writer, embedder, ex => throw ex);
            for (var n = 0; n < passages; n++)
            {
                await passageWriter.AddAsync([Passage(n)], null, null, null, default);
            }

            await passageWriter.FlushAsync(default);
            foreach (var n in deleted)
            {
                writer.DeleteDocuments(new Term(IndexFields.Id, $"a{n}#0"));
            }

            writer.Commit();
        }

        return DirectoryReader.Open(_directory);
    }

    private static float[] Unit(float[] vector) => VectorCodec.Normalize(vector)!;

    private static List<string> Ids(DirectoryReader reader, IEnumerable<(int Doc, float Score)> hits) =>
        hits.Select(h => reader.Document(h.Doc).Get(IndexFields.Id)).ToList();

    /// <summary>Every live passage scored with float32 cosine, best first.</summary>
    private static List<(string Id, float Score)> BruteForce(int passages, float[] query, Func<int, bool> include) =>
        Enumerable.Range(0, passages)
            .Where(include)
            .Select(n => ($"a{n}#0", TensorPrimitives.Dot(Unit(SeededEmbeddings.VectorOf(PassageEmbedder.TextOf(Passage(n)), Dimensions)), query)))
            .OrderByDescending(x => x.Item2)
            .ToList();

    [Fact]
    public async Task Dense_top_k_is_the_brute_force_cosine_top_k()
    {
        var deleted = Enumerable.Range(0, 2_000).Where(n => n % 7 == 0).ToHashSet();
        using var reader = await IndexAsync(2_000, deleted);
        Assert.True(reader.Leaves.Count > 1, "several segments");
        var dense = new DenseIndex();
        var space = PassageEmbedder.SpaceOf("seeded");

        for (var q = 0; q < 25; q++)
        {
            var query = Unit(SeededEmbeddings.VectorOf($"question {q}", Dimensions));
            var expected = BruteForce(2_000, query, n => !deleted.Contains(n)).Take(10).ToList();

            var hits = dense.Search(reader, query, 10, areas: null, space);

            Assert.Equal(expected.Select(e => e.Id), Ids(reader, hits));
            Assert.All(hits.Zip(expected), pair => Assert.Equal(pair.Second.Score, pair.First.Score, 5));
        }
    }

    [Fact]
    public async Task Dense_search_keeps_to_the_product_filter()
    {
        using var reader = await IndexAsync(900, []);
        var query = Unit(SeededEmbeddings.VectorOf("payout question", Dimensions));

        var hits = new DenseIndex().Search(reader, query, 12, ["payouts"], PassageEmbedder.SpaceOf("seeded"));

        var expected = BruteForce(900, query, n => n % 3 == 0).Take(12).Select(e => e.Id);
        Assert.Equal(expected, Ids(reader, hits));
        Assert.Empty(new DenseIndex().Search(reader, query, 12, ["no-such-product"], PassageEmbedder.SpaceOf("seeded")));
    }

    [Fact]
    public async Task Dense_search_ignores_vectors_of_another_model()
    {
        using var reader = await IndexAsync(50, [], model: "old-model");
        var query = Unit(SeededEmbeddings.VectorOf("anything", Dimensions));

        Assert.Empty(new DenseIndex().Search(reader, query, 5, null, PassageEmbedder.SpaceOf("new-model")));
        Assert.Equal(5, new DenseIndex().Search(reader, query, 5, null, PassageEmbedder.SpaceOf("old-model")).Count);
    }

    [Fact]
    public void Dense_int8_kernel_matches_the_scalar_sum()
    {
        var random = new Random(5);
        foreach (var length in new[] { 32, 64, 384, 1536 })
        {
            var x = new sbyte[length];
            var y = new sbyte[length];
            for (var i = 0; i < length; i++)
            {
                x[i] = (sbyte)random.Next(-127, 128);
                y[i] = (sbyte)random.Next(-127, 128);
            }

            var expected = x.Zip(y, (a, b) => a * b).Sum();
            Assert.Equal(expected, Int8Dot.Dot(x, y));
        }
    }

    public void Dispose() => _directory.Dispose();
}
