using Microsoft.Extensions.AI;

namespace SupportBot.Benchmarks;

/// <summary>
/// A deterministic stand-in for an embedding model, in process: each text gets a random unit vector
/// seeded by the text. It costs next to nothing, so the figures are the index's own.
/// </summary>
internal sealed class RandomEmbeddings(int dimensions) : IEmbeddingGenerator<string, Embedding<float>>
{
    public static float[] VectorOf(string text, int dimensions)
    {
        var seed = 17;
        foreach (var c in text)
        {
            seed = unchecked((seed * 31) + c);
        }

        var random = new Random(seed);
        var vector = new float[dimensions];
        var norm = 0.0;
        for (var i = 0; i < dimensions; i++)
        {
            vector[i] = (float)((random.NextDouble() * 2) - 1);
            norm += vector[i] * vector[i];
        }

        var scale = (float)(1 / Math.Sqrt(norm));
        for (var i = 0; i < dimensions; i++)
        {
            vector[i] *= scale;
        }

        return vector;
    }

    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default) =>
        Task.FromResult(new GeneratedEmbeddings<Embedding<float>>(values.Select(v => new Embedding<float>(VectorOf(v, dimensions)))));

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceType == typeof(EmbeddingGeneratorMetadata) ? new EmbeddingGeneratorMetadata("random", null, $"random-{dimensions}", dimensions) : null;

    public void Dispose()
    {
    }
}
