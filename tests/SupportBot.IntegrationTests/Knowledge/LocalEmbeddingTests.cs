using System.Numerics.Tensors;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SupportBot.Core.Answering;
using SupportBot.Knowledge;
using SupportBot.Knowledge.Index;
using SupportBot.Knowledge.Ingestion;
using SupportBot.Knowledge.Vectors;

namespace SupportBot.IntegrationTests.Knowledge;

/// <summary>The in-process ONNX embedding model shipped with the program, and hybrid search composed with it.</summary>
public sealed class LocalEmbeddingTests : IAsyncLifetime
{
    private readonly string _work = Path.Combine(Path.GetTempPath(), "supportbot-tests", Guid.NewGuid().ToString("N"));
    private readonly List<ServiceProvider> _providers = [];
    private LocalEmbeddingGenerator _model = null!;

    public Task InitializeAsync()
    {
        _model = new LocalEmbeddingGenerator(threads: 1);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _model.Dispose();
        foreach (var provider in _providers)
        {
            await provider.DisposeAsync();
        }

        try
        {
            Directory.Delete(_work, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task<float[][]> EmbedAsync(params string[] texts) =>
        [.. (await _model.GenerateAsync(texts)).Select(e => e.Vector.ToArray())];

    [Fact]
    public async Task A_paraphrase_is_nearer_than_an_unrelated_sentence()
    {
        var vectors = await EmbedAsync(
            LocalEmbeddingGenerator.QueryPrefix + "How do I change a password I forgot?",
            "To reset a forgotten password, open the sign-in page and choose Forgot password; we email you a link.",
            "Instant payouts arrive in your bank account within 30 minutes, even on weekends.");

        Assert.All(vectors, v =>
        {
            Assert.Equal(LocalEmbeddingGenerator.Dimensions, v.Length);
            Assert.Equal(1.0, TensorPrimitives.Norm(v), 3);
        });
        var paraphrase = TensorPrimitives.Dot(vectors[0], vectors[1]);
        var unrelated = TensorPrimitives.Dot(vectors[0], vectors[2]);
        Assert.True(paraphrase > unrelated + 0.05, $"paraphrase {paraphrase:0.000}, unrelated {unrelated:0.000}");
    }

    [Fact]
    public async Task A_batch_gives_each_text_the_vector_it_gets_alone_in_the_order_given()
    {
        string[] texts =
        [
            "Refunds reach the customer in 5 to 10 business days, depending on the card network and the issuing bank. " +
                "A partial refund may be any amount up to the original payment, and several partial refunds may follow one another.",
            "Payout schedule",
            "Disputes are opened by the cardholder's bank.",
        ];

        var batch = await EmbedAsync(texts);
        var alone = await Task.WhenAll(texts.Select(t => EmbedAsync(t))); // concurrently: the session is shared

        for (var i = 0; i < texts.Length; i++)
        {
            Assert.Equal(1.0, TensorPrimitives.Dot(batch[i], alone[i][0]), 3);
        }

        Assert.True(TensorPrimitives.Dot(batch[0], batch[1]) < 0.99);
        Assert.Equal(LocalModelFiles.ModelId, _model.GetService<EmbeddingGeneratorMetadata>()?.DefaultModelId);
    }

    [Fact]
    public async Task Long_passages_split_into_several_runs_keep_the_vectors_they_get_alone()
    {
        // Ten passages past the model's 512 tokens (cut there) and two short texts: the long ones cannot share one run.
        var texts = Enumerable.Range(0, 10)
            .Select(i => string.Concat(Enumerable.Repeat($"Payout {i} of the connected account settles after the dispute window closes. ", 60)))
            .Append("Refund timing")
            .Append("Dispute evidence")
            .ToArray();

        var batch = await EmbedAsync(texts);

        foreach (var i in new[] { 0, 9, 10, 11 })
        {
            var alone = (await EmbedAsync(texts[i]))[0];
            Assert.Equal(1.0, TensorPrimitives.Dot(batch[i], alone), 3);
        }

        Assert.True(TensorPrimitives.Dot(batch[0], batch[10]) < 0.99);
    }

    [Fact]
    public async Task A_question_whose_caller_stops_waiting_is_let_go_while_passages_hold_the_model()
    {
        // One embedding thread, busy with many long passages: a question queued behind them whose caller gives up
        // (a search's embedding timeout) is answered with a cancellation at once, not when the thread comes to it.
        var passages = Enumerable.Range(0, 48)
            .Select(i => string.Concat(Enumerable.Repeat($"Payout {i} of the connected account settles after the dispute window closes. ", 60)))
            .ToArray();
        var busy = _model.GenerateAsync(passages);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        var question = _model.GenerateAsync([LocalEmbeddingGenerator.QueryPrefix + "When does a payout settle?"], cancellationToken: timeout.Token);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => question);
        Assert.False(busy.IsCompleted, "the passages finished first, so the question was not kept waiting");
        Assert.Equal(48, (await busy).Count);

        // The thread goes on to later work as before.
        Assert.Single(await EmbedAsync("Refund timing"));
    }

    [Fact]
    public async Task Hybrid_search_with_the_local_model_runs_end_to_end_on_a_new_index()
    {
        var docs = Path.Combine(_work, "docs");
        Directory.CreateDirectory(docs);
        await File.WriteAllTextAsync(Path.Combine(docs, "refunds.md"), "---\ntitle: Refunds\n---\nRefunds reach the customer in 5 to 10 business days.");
        await File.WriteAllTextAsync(Path.Combine(docs, "payouts.md"), "---\ntitle: Instant payouts\n---\nInstant payouts arrive within 30 minutes.");
        await File.WriteAllTextAsync(Path.Combine(docs, "disputes.md"), "---\ntitle: Disputes\n---\nA cardholder's bank opens a dispute; respond with evidence within 7 days.");

        var hybrid = Services("local");
        var summary = await hybrid.GetRequiredService<KnowledgeIndex>().IngestAsync([docs], new IngestObserver(), default);
        var search = hybrid.GetRequiredService<IKnowledgeSearch>();

        // "money back" shares no word with the refunds article; the thread names the topic only loosely.
        var hits = await search.SearchAsync(
            new SearchRequest("how long until the money is back?", ["the customer asked for a refund"], 3),
            default);

        Assert.Equal(3, summary.Chunks);
        Assert.NotNull(hybrid.GetService<IEmbeddingGenerator<string, Embedding<float>>>());
        Assert.Equal("refunds", hits[0].ArticleId);
        Assert.Null(Services("none").GetService<IEmbeddingGenerator<string, Embedding<float>>>());
    }

    private ServiceProvider Services(string provider)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Knowledge:IndexPath"] = Path.Combine(_work, "index-" + provider),
            ["Knowledge:Embeddings:Provider"] = provider,
            ["Knowledge:Embeddings:Threads"] = "1",
        }).Build();
        var services = new ServiceCollection()
            .AddLogging(b => b.SetMinimumLevel(LogLevel.Warning))
            .AddSupportBotKnowledge(configuration, background: false)
            .BuildServiceProvider();
        _providers.Add(services);
        return services;
    }

    private sealed class IngestObserver : IIngestObserver
    {
        public void Started(int files)
        {
        }

        public void FileDone(string path, IngestOutcome outcome, string? reason)
        {
        }

        public void Problem(string location, string reason) => Assert.Fail($"{location}: {reason}");
    }
}
