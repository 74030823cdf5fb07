using Microsoft.Extensions.AI;
using SupportBot.Knowledge.Vectors;

namespace SupportBot.Host.Cli;

/// <summary>
/// One embedding model for every host an evaluation builds (one per setting tried): it is loaded once, each
/// passage and question is embedded once, and with a cache file not even that between runs. The hosts get a
/// wrapper they may dispose; the model itself is disposed with this object.
/// </summary>
internal sealed class SharedEmbeddings(string? cacheFile) : IDisposable
{
    private readonly Lock _gate = new();
    private CachingEmbeddingGenerator? _generator;

    /// <summary>Replaces the composition's embedding generator, if any, with the shared one (made by its registration the first time).</summary>
    public void Share(IServiceCollection services)
    {
        var registered = services.LastOrDefault(d => d.ServiceType == typeof(IEmbeddingGenerator<string, Embedding<float>>) && !d.IsKeyedService);
        if (registered is null)
        {
            return;
        }

        services.Remove(registered);
        services.AddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(sp =>
        {
            lock (_gate)
            {
                _generator ??= new CachingEmbeddingGenerator(
                    registered.ImplementationInstance as IEmbeddingGenerator<string, Embedding<float>>
                        ?? (IEmbeddingGenerator<string, Embedding<float>>)registered.ImplementationFactory!(sp),
                    cacheFile);
                return new Undisposed(_generator);
            }
        });
    }

    public void Save() => _generator?.Save();

    public void Dispose() => _generator?.Dispose();

    private sealed class Undisposed(IEmbeddingGenerator<string, Embedding<float>> inner) : IEmbeddingGenerator<string, Embedding<float>>
    {
        public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default) =>
            inner.GenerateAsync(values, options, cancellationToken);

        public object? GetService(Type serviceType, object? serviceKey = null) => inner.GetService(serviceType, serviceKey);

        public void Dispose()
        {
            // The shared model outlives each host.
        }
    }
}
