using Microsoft.Extensions.AI;
using SupportBot.Core;

namespace SupportBot.Llm.Middleware;

/// <summary>
/// Bounds every embedding call: past <c>timeout</c> the call is cancelled and a <see cref="TimeoutException"/>
/// raised, so an ingest against a hung server goes on without vectors instead of waiting forever.
/// </summary>
public sealed class TimeoutEmbeddingGenerator(IEmbeddingGenerator<string, Embedding<float>> inner, TimeSpan timeout, TimeProvider time)
    : DelegatingEmbeddingGenerator<string, Embedding<float>>(inner)
{
    public override async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values,
        EmbeddingGenerationOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        using var bounded = new Deadline(timeout, time, cancellationToken);
        try
        {
            return await base.GenerateAsync(values, options, bounded.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"The embedding model did not answer within {timeout.TotalSeconds:0.#} s.");
        }
    }
}
