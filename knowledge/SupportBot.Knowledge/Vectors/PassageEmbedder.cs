using System.Numerics.Tensors;
using Microsoft.Extensions.AI;
using SupportBot.Knowledge.Articles;

namespace SupportBot.Knowledge.Vectors;

/// <summary>
/// Turns passages and questions into unit vectors with the configured Microsoft.Extensions.AI
/// <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/>. The model's name marks the vectors it made
/// (<see cref="Space"/>): a question is only ever compared with passages embedded by the same model.
/// </summary>
internal sealed class PassageEmbedder
{
    /// <summary>Passages per call: few round trips, and well within a provider's per-request limits.</summary>
    public const int BatchSize = 64;

    // About 2,000 tokens: passages are at most ~3,300 characters, and embedding models take 8,191 tokens.
    private const int MaxInputChars = 8_000;

    private readonly IEmbeddingGenerator<string, Embedding<float>> _generator;

    public PassageEmbedder(IEmbeddingGenerator<string, Embedding<float>> generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        _generator = generator;
        var metadata = generator.GetService<EmbeddingGeneratorMetadata>();
        Model = metadata?.DefaultModelId is { Length: > 0 } id ? id : "default";
        Space = SpaceOf(Model);
    }

    /// <summary>The embedding model's name (the deployment on Azure).</summary>
    public string Model { get; }

    /// <summary>The value stored beside each vector this model made; never 0 (what a passage without one reads as).</summary>
    public long Space { get; }

    /// <summary>A stable hash (FNV-1a) of the model's name: the same in every process and version.</summary>
    internal static long SpaceOf(string model)
    {
        var hash = 2166136261u;
        foreach (var c in model)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return hash | 1u;
    }

    /// <summary>What is embedded of a passage: what a reader sees of it (title, section heading, text).</summary>
    public static string TextOf(Chunk chunk)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        return chunk.Section is null ? $"{chunk.Title}\n{chunk.Text}" : $"{chunk.Title}\n{chunk.Section}\n{chunk.Text}";
    }

    /// <summary>Unit vectors of <paramref name="texts"/>, in order, <see cref="BatchSize"/> per call; null where the model gave a zero vector.</summary>
    public async Task<float[]?[]> EmbedAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var vectors = new float[]?[texts.Count];
        for (var start = 0; start < texts.Count; start += BatchSize)
        {
            var batch = new List<string>(Math.Min(BatchSize, texts.Count - start));
            for (var i = start; i < texts.Count && batch.Count < BatchSize; i++)
            {
                batch.Add(Bound(texts[i]));
            }

            var embeddings = await _generator.GenerateAsync(batch, cancellationToken: cancellationToken);
            if (embeddings.Count != batch.Count)
            {
                throw new InvalidOperationException($"The embedding model returned {embeddings.Count} vectors for {batch.Count} inputs.");
            }

            for (var i = 0; i < batch.Count; i++)
            {
                vectors[start + i] = VectorCodec.Normalize(embeddings[i].Vector.Span);
            }
        }

        return vectors;
    }

    /// <summary>
    /// The question's unit vector, drawn towards the thread's latest user turn by <paramref name="contextWeight"/>
    /// (as BM25 weighs that turn's terms): "and for Canada?" keeps the topic it continues. One call.
    /// </summary>
    public async Task<float[]?> EmbedQuestionAsync(string question, string? context, float contextWeight, CancellationToken cancellationToken)
    {
        var withContext = !string.IsNullOrWhiteSpace(context) && contextWeight > 0f;
        var vectors = await EmbedAsync(withContext ? [question, context!] : [question], cancellationToken);
        if (vectors[0] is not { } asked)
        {
            return null;
        }

        if (!withContext || vectors[1] is not { } thread)
        {
            return asked;
        }

        var combined = new float[asked.Length];
        TensorPrimitives.MultiplyAdd(thread, contextWeight, asked, combined);
        return VectorCodec.Normalize(combined);
    }

    private static string Bound(string text) => text.Length <= MaxInputChars ? text : text[..MaxInputChars];
}
