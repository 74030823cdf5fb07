using Microsoft.Extensions.AI;

namespace SupportBot.Llm.Middleware;

public static class TimeoutEmbeddingGeneratorBuilderExtensions
{
    /// <summary>Adds a <see cref="TimeoutEmbeddingGenerator"/> to the pipeline.</summary>
    public static EmbeddingGeneratorBuilder<string, Embedding<float>> UseTimeout(this EmbeddingGeneratorBuilder<string, Embedding<float>> builder, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use(inner => new TimeoutEmbeddingGenerator(inner, timeout));
    }
}
