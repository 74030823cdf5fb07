using System.Diagnostics;
using Lucene.Net.Index;
using Lucene.Net.Store;
using Lucene.Net.Util;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SupportBot.Core.Answering;
using SupportBot.IntegrationTests.Infrastructure;
using SupportBot.Knowledge;
using SupportBot.Knowledge.Index;
using SupportBot.Knowledge.Ingestion;
using SupportBot.Knowledge.Search;
using SupportBot.Llm;

namespace SupportBot.IntegrationTests.Knowledge;

/// <summary>
/// Hybrid search with the real OpenAI and Azure OpenAI SDK embedding clients, composed as the host does,
/// over real HTTP against the local stand-in (whose embeddings are hashed character trigrams).
/// </summary>
public sealed class HybridSearchTests : IAsyncLifetime
{
    private const string EmbeddingModel = "text-embedding-3-small";
    private readonly string _work = Path.Combine(Path.GetTempPath(), "supportbot-tests", Guid.NewGuid().ToString("N"));
    private readonly List<ServiceProvider> _providers = [];
    private OpenAiStandIn _model = null!;

    private string IndexPath => Path.Combine(_work, "index");

    private string Docs => Path.Combine(_work, "docs");

    public async Task InitializeAsync()
    {
        _model = await OpenAiStandIn.StartAsync();
        Write("chargebacks.md", "---\ntitle: Chargebacks\n---\nA chargeback reverses a card payment at the cardholder's request. The issuing bank debits the amount plus a fee.");
        Write("charges.md", "---\ntitle: Charges\n---\nA charge moves money from a card to your balance. Charges settle in two days.");
        Write("back-office.md", "---\ntitle: Back office exports\n---\nExport the back office ledger as a CSV file every night.");
        Write("refunds.md", "---\ntitle: Refunds\n---\nRefunds reach the customer in 5 to 10 business days.\n\n## Partial refunds\nAny amount up to the original payment.");
        Write("payouts.md", "---\ntitle: Instant payouts\n---\nInstant payouts arrive within 30 minutes.");
    }

    public async Task DisposeAsync()
    {
        foreach (var provider in _providers)
        {
            await provider.DisposeAsync();
        }

        await _model.DisposeAsync();
        try
        {
            System.IO.Directory.Delete(_work, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private void Write(string name, string content)
    {
        System.IO.Directory.CreateDirectory(Docs);
        File.WriteAllText(Path.Combine(Docs, name), content);
    }

    /// <summary>The knowledge services as the host composes them; without an embedding model when <paramref name="embeddingModel"/> is null.</summary>
    private ServiceProvider Services(string? embeddingModel = EmbeddingModel, string provider = "openai", params (string Key, string Value)[] extra)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Knowledge:IndexPath"] = IndexPath,
            ["Knowledge:Search:EmbeddingTimeout"] = "00:00:01",
            ["Knowledge:Search:CoverageDenseShare"] = "0", // confidence from words alone: the stand-in's trigram cosines mean nothing
            ["Llm:Provider"] = provider,
            ["Llm:Endpoint"] = provider == "openai" ? _model.OpenAiEndpoint : _model.BaseAddress.ToString(),
            ["Llm:ApiKey"] = "test-key-123",
            ["Llm:Model"] = "support-model",
            ["Llm:EmbeddingModel"] = embeddingModel,
            ["Knowledge:Embeddings:Provider"] = embeddingModel is null ? "none" : "local", // the model above, when named, takes precedence
            ["Llm:Timeout"] = "00:00:05",
        };
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection()
            .AddLogging(b => b.SetMinimumLevel(LogLevel.Warning))
            .AddSupportBotLlm(configuration)
            .AddSupportBotKnowledge(configuration, background: false)
            .BuildServiceProvider();
        _providers.Add(services);
        return services;
    }

    private sealed class Problems : IIngestObserver
    {
        public List<(string Location, string Reason)> Reported { get; } = [];

        public void Started(int files)
        {
        }

        public void FileDone(string path, IngestOutcome outcome, string? reason)
        {
        }

        public void Problem(string location, string reason) => Reported.Add((location, reason));
    }

    private static Task<IngestSummary> IngestAsync(ServiceProvider services, string path, IIngestObserver? observer = null) =>
        services.GetRequiredService<KnowledgeIndex>().IngestAsync([path], observer ?? new Problems(), default);

    private static Task<IReadOnlyList<SearchHit>> SearchAsync(IKnowledgeSearch search, string question, int top = 3) =>
        search.SearchAsync(new SearchRequest(question, [], top), default);

    /// <summary>Each live passage's vector length in bytes (0 without one), and the last commit's user data.</summary>
    private (List<int> VectorBytes, IDictionary<string, string> CommitData) ReadIndex()
    {
        using var directory = FSDirectory.Open(new DirectoryInfo(IndexPath));
        using var reader = DirectoryReader.Open(directory);
        var lengths = new List<int>();
        foreach (var leaf in reader.Leaves)
        {
            var vectors = leaf.AtomicReader.GetBinaryDocValues(IndexFields.Vector);
            var live = leaf.AtomicReader.LiveDocs;
            var bytes = new BytesRef();
            for (var doc = 0; doc < leaf.AtomicReader.MaxDoc; doc++)
            {
                if (live is null || live.Get(doc))
                {
                    vectors?.Get(doc, bytes);
                    lengths.Add(vectors is null ? 0 : bytes.Length);
                }
            }
        }

        return (lengths, new Dictionary<string, string>(reader.IndexCommit.UserData));
    }

    [Fact]
    public async Task Ingest_stores_a_vector_with_every_passage_and_embeds_only_what_changed()
    {
        var services = Services();

        var first = await IngestAsync(services, Docs);

        Assert.Equal(6, first.Chunks);
        Assert.Equal(6, first.Embedded);
        Assert.Equal(6, _model.EmbeddedTexts);
        Assert.All(_model.EmbeddingRequests, r =>
        {
            Assert.Equal("/v1/embeddings", r.Path);
            Assert.Equal("Bearer test-key-123", r.Authorization);
            Assert.Equal(EmbeddingModel, r.Model);
        });
        var (vectors, commit) = ReadIndex();
        Assert.Equal(Enumerable.Repeat(OpenAiStandIn.EmbeddingDimensions * sizeof(float), 6), vectors);
        Assert.Equal(EmbeddingModel, commit[IndexFields.EmbeddingModelCommitKey]);
        Assert.Equal("256", commit[IndexFields.EmbeddingDimensionsCommitKey]);

        var again = await IngestAsync(services, Docs);
        Assert.Equal(new IngestSummary(0, 0, 0, 5, 0, 0), again);
        Assert.Equal(6, _model.EmbeddedTexts); // Unchanged files are not embedded again.

        Write("refunds.md", "---\ntitle: Refunds\n---\nRefunds now reach the customer in 3 to 5 business days.");
        var changed = await IngestAsync(services, Docs);
        Assert.Equal(1, changed.Updated);
        Assert.Equal(1, changed.Embedded);
        Assert.Equal(7, _model.EmbeddedTexts);
        Assert.StartsWith("Refunds\nRefunds now reach", _model.EmbeddingRequests.Last().Inputs.Single(), StringComparison.Ordinal);
        Assert.All(ReadIndex().VectorBytes, length => Assert.Equal(1024, length));
    }

    [Fact]
    public async Task An_index_built_without_embeddings_is_embedded_by_the_next_ingest()
    {
        await IngestAsync(Services(embeddingModel: null), Docs);
        Assert.All(ReadIndex().VectorBytes, length => Assert.Equal(0, length));
        Assert.Empty(_model.EmbeddingRequests);

        var services = Services();
        var summary = await IngestAsync(services, Docs);

        Assert.Equal(5, summary.Updated); // Unchanged files without vectors count as changed.
        Assert.Equal(6, summary.Embedded);
        Assert.All(ReadIndex().VectorBytes, length => Assert.Equal(1024, length));
        Assert.Equal(new IngestSummary(0, 0, 0, 5, 0, 0), await IngestAsync(services, Docs));
    }

    [Fact]
    public async Task Hybrid_search_finds_a_passage_bm25_misses()
    {
        var services = Services();
        await IngestAsync(services, Docs);
        var hybrid = services.GetRequiredService<IKnowledgeSearch>();
        var bm25 = services.GetRequiredService<LuceneKnowledgeSearch>();
        Assert.IsType<HybridKnowledgeSearch>(Assert.IsType<CuratedKnowledgeSearch>(hybrid).Inner);

        // "charge back" shares no analysed term with "chargeback", but most of its letters.
        var lexical = await SearchAsync(bm25, "How does a charge back work?");
        var fused = await SearchAsync(hybrid, "How does a charge back work?");

        Assert.DoesNotContain(lexical, h => h.ArticleId == "chargebacks");
        Assert.Contains(fused, h => h.ArticleId == "chargebacks");
        Assert.Equal("How does a charge back work?", _model.EmbeddingRequests.Last().Inputs.Single());

        // The dense-only passage keeps BM25's fields: no question term in it, so no coverage to answer from.
        var chargebacks = fused.Single(h => h.ArticleId == "chargebacks");
        Assert.Equal(0, chargebacks.Coverage);
        Assert.Equal(lexical[0].Coverage, fused.Single(h => h.ChunkId == lexical[0].ChunkId).Coverage);
    }

    [Fact]
    public async Task A_question_in_a_language_the_model_is_not_for_is_searched_with_bm25_alone()
    {
        Write("erstattungen.md", "---\ntitle: Rückerstattungen\n---\nEine Rückerstattung dauert 5 bis 10 Werktage.");
        var services = Services(extra: ("Knowledge:Embeddings:Languages:0", "en"));
        await IngestAsync(services, Docs);
        var search = services.GetRequiredService<IKnowledgeSearch>();
        var asked = _model.EmbeddingRequests.Count;

        var german = await SearchAsync(search, "Wie lange dauert eine Rückerstattung?");
        Assert.Equal(asked, _model.EmbeddingRequests.Count);
        Assert.Equal("erstattungen", german[0].ArticleId);
        var lexical = await SearchAsync(services.GetRequiredService<LuceneKnowledgeSearch>(), "Wie lange dauert eine Rückerstattung?");
        Assert.Equal(lexical.Select(h => (h.ChunkId, h.Score)), german.Select(h => (h.ChunkId, h.Score)));

        await SearchAsync(search, "How long do refunds take?");
        Assert.Equal("How long do refunds take?", _model.EmbeddingRequests.Last().Inputs.Single());

        // A provider's model is taken to know every language unless told otherwise.
        var everyLanguage = Services();
        await SearchAsync(everyLanguage.GetRequiredService<IKnowledgeSearch>(), "Wie lange dauert eine Rückerstattung?");
        Assert.Equal("Wie lange dauert eine Rückerstattung?", _model.EmbeddingRequests.Last().Inputs.Single());
    }

    [Fact]
    public async Task Hybrid_search_keeps_to_the_product_filter()
    {
        Write("disputes.md", "---\ntitle: Chargeback fees\nproduct: disputes\n---\nEvery chargeback costs a $15 fee.");
        var services = Services();
        await IngestAsync(services, Docs);

        var hits = await services.GetRequiredService<IKnowledgeSearch>().SearchAsync(new SearchRequest("charge back fee", [], 5, "disputes"), default);

        Assert.Equal("disputes", Assert.Single(hits).ArticleId);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(0)]
    public async Task A_failing_or_hung_embedding_model_leaves_bm25s_result_unchanged(int status)
    {
        var services = Services();
        await IngestAsync(services, Docs);
        var expected = await SearchAsync(services.GetRequiredService<LuceneKnowledgeSearch>(), "How long do refunds take?", 5);
        _model.EmbeddingsDefault = status == 0 ? OpenAiStandIn.Hang : OpenAiStandIn.Status(status);

        var clock = Stopwatch.StartNew();
        var hits = await SearchAsync(services.GetRequiredService<IKnowledgeSearch>(), "How long do refunds take?", 5);

        Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(10)); // Knowledge:Search:EmbeddingTimeout is 1 s.
        Assert.NotEmpty(hits);
        Assert.Equal(expected.Select(h => (h.ChunkId, h.Score, h.Coverage)), hits.Select(h => (h.ChunkId, h.Score, h.Coverage)));
    }

    [Fact]
    public async Task An_ingest_whose_embedding_model_fails_writes_passages_without_vectors_and_the_next_embeds_them()
    {
        var services = Services();
        _model.EmbeddingsDefault = OpenAiStandIn.Status(400);
        var problems = new Problems();

        var failed = await IngestAsync(services, Docs, problems);

        Assert.Equal(5, failed.Added);
        Assert.Equal(0, failed.Embedded);
        Assert.Contains(problems.Reported, p => p.Location == "embedding model");
        Assert.All(ReadIndex().VectorBytes, length => Assert.Equal(0, length));
        Assert.NotEmpty(await SearchAsync(services.GetRequiredService<IKnowledgeSearch>(), "instant payouts"));

        _model.EmbeddingsDefault = OpenAiStandIn.Embeddings;
        var repaired = await IngestAsync(services, Docs);

        Assert.Equal(5, repaired.Updated);
        Assert.Equal(6, repaired.Embedded);
    }

    [Fact]
    public async Task Azure_openai_embeddings_go_to_the_deployment_with_an_api_key()
    {
        var services = Services(embeddingModel: "embeddings-deployment", provider: "azure-openai");

        var summary = await IngestAsync(services, Docs);

        Assert.Equal(6, summary.Embedded);
        var request = _model.EmbeddingRequests.First();
        Assert.Equal("/openai/deployments/embeddings-deployment/embeddings", request.Path);
        Assert.Equal("test-key-123", request.ApiKey);
        Assert.Contains(await SearchAsync(services.GetRequiredService<IKnowledgeSearch>(), "How does a charge back work?"), h => h.ArticleId == "chargebacks");
    }
}
