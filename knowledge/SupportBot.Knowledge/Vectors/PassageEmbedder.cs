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

    // Questions and thread turns embedded lately (masked text, in this process only): 4,096 vectors of 384 floats
    // are about 6 MB per generation.
    private readonly RecentVectors _queries = new(4_096);

    public PassageEmbedder(IEmbeddingGenerator<string, Embedding<float>> generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        _generator = generator;
        var metadata = generator.GetService<EmbeddingGeneratorMetadata>();
        Model = metadata?.DefaultModelId is { Length: > 0 } id ? id : "default";
        Space = SpaceOf(Model);
        IsLocal = generator.GetService<LocalEmbeddingGenerator>() is not null;
        QueryPrefix = IsLocal ? LocalEmbeddingGenerator.QueryPrefix : string.Empty;
    }

    /// <summary>True for the in-process local model (English only), false for a provider's.</summary>
    public bool IsLocal { get; }

    /// <summary>What the model expects before a search query (the local model's instruction; nothing for others).</summary>
    public string QueryPrefix { get; }

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
    /// The search query's unit vector from the thread's texts and their weights (the question weighing 1, earlier
    /// turns less, as the BM25 query weighs their terms), in one call: each text is embedded as a query and the
    /// vectors are summed by weight (<see cref="DenseQueryMode.Turns"/>), or the texts are joined, question first,
    /// and embedded once (<see cref="DenseQueryMode.Joined"/>). Null when the question cannot be embedded.
    /// </summary>
    public async Task<float[]?> EmbedQueryAsync(IReadOnlyList<(string Text, float Weight)> parts, DenseQueryMode mode, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var used = parts.Where(p => p.Weight > 0f && !string.IsNullOrWhiteSpace(p.Text)).ToList();
        if (used.Count == 0)
        {
            return null;
        }

        if (mode == DenseQueryMode.Joined || used.Count == 1)
        {
            var joined = string.Join("\n", used.Select(p => p.Text));
            return (await EmbedQueriesAsync([QueryPrefix + joined], cancellationToken))[0];
        }

        var vectors = await EmbedQueriesAsync(used.ConvertAll(p => QueryPrefix + p.Text), cancellationToken);
        if (vectors[0] is not { } asked)
        {
            return null;
        }

        var combined = new float[asked.Length];
        for (var i = 0; i < used.Count; i++)
        {
            if (vectors[i] is { } vector && vector.Length == combined.Length)
            {
                TensorPrimitives.MultiplyAdd(vector, used[i].Weight, combined, combined);
            }
        }

        return VectorCodec.Normalize(combined);
    }

    /// <summary>
    /// <see cref="EmbedAsync"/> for query texts, through <see cref="_queries"/>: a follow-up in a thread embeds its own
    /// turn, not again every earlier turn and reply of the thread (the bulk of a dense query's cost).
    /// </summary>
    private async Task<float[]?[]> EmbedQueriesAsync(List<string> texts, CancellationToken cancellationToken)
    {
        var vectors = new float[]?[texts.Count];
        var missing = new List<int>();
        for (var i = 0; i < texts.Count; i++)
        {
            if (_queries.TryGet(texts[i]) is { } known)
            {
                vectors[i] = known;
            }
            else
            {
                missing.Add(i);
            }
        }

        if (missing.Count > 0)
        {
            var embedded = await EmbedAsync(missing.ConvertAll(i => texts[i]), cancellationToken);
            for (var j = 0; j < missing.Count; j++)
            {
                vectors[missing[j]] = embedded[j];
                if (embedded[j] is { } vector)
                {
                    _queries.Add(texts[missing[j]], vector);
                }
            }
        }

        return vectors;
    }

    private static string Bound(string text) => text.Length <= MaxInputChars ? text : text[..MaxInputChars];
}
