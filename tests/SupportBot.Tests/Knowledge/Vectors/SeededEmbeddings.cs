using Microsoft.Extensions.AI;

namespace SupportBot.Tests.Knowledge.Vectors;

/// <summary>An embedding model without meaning: each text gets a random vector seeded by the text, the same every time.</summary>
internal sealed class SeededEmbeddings(int dimensions, string model = "seeded") : IEmbeddingGenerator<string, Embedding<float>>
{
    public int Calls { get; private set; }

    /// <summary>Every text embedded, in order.</summary>
    public List<string> Embedded { get; } = [];

    public static float[] VectorOf(string text, int dimensions)
    {
        var seed = 17;
        foreach (var c in text)
        {
            seed = unchecked((seed * 31) + c);
        }

        var random = new Random(seed);
        var vector = new float[dimensions];
        for (var i = 0; i < dimensions; i++)
        {
            vector[i] = (float)((random.NextDouble() * 2) - 1);
        }

        return vector;
    }

    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        Calls++;
        var texts = values.ToList();
        Embedded.AddRange(texts);
        values = texts;
        return Task.FromResult(new GeneratedEmbeddings<Embedding<float>>(values.Select(v => new Embedding<float>(VectorOf(v, dimensions)))));
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceType == typeof(EmbeddingGeneratorMetadata) ? new EmbeddingGeneratorMetadata("seeded", null, model, dimensions) : null;

    public void Dispose()
    {
    }
}
