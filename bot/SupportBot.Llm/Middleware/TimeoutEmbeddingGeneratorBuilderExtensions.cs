using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace SupportBot.Llm.Middleware;

public static class TimeoutEmbeddingGeneratorBuilderExtensions
{
    /// <summary>Adds a <see cref="TimeoutEmbeddingGenerator"/> to the pipeline.</summary>
    public static EmbeddingGeneratorBuilder<string, Embedding<float>> UseTimeout(this EmbeddingGeneratorBuilder<string, Embedding<float>> builder, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use((inner, services) => new TimeoutEmbeddingGenerator(inner, timeout, services.GetService<TimeProvider>() ?? TimeProvider.System));
    }
}
