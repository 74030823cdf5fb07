using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using SupportBot.Core.Answering;
using SupportBot.Core.Configuration;
using SupportBot.Core.Curation;
using SupportBot.Core.State;
using SupportBot.Knowledge.Connectors;
using SupportBot.Knowledge.Index;
using SupportBot.Knowledge.Search;
using SupportBot.Knowledge.Vectors;
using Microsoft.Extensions.AI;

namespace SupportBot.Knowledge;

public static class KnowledgeServiceCollectionExtensions
{
    /// <summary>
    /// The Lucene.Net knowledge index and search; <paramref name="background"/> opens it when the host starts.
    /// When an <c>IEmbeddingGenerator&lt;string, Embedding&lt;float&gt;&gt;</c> is registered (SupportBot.Llm does so for
    /// <c>Llm:EmbeddingModel</c>), passages are stored with vectors and search is hybrid. Otherwise
    /// <c>Knowledge:Embeddings:Provider</c> decides: <c>local</c> registers the in-process ONNX model, <c>none</c>
    /// leaves BM25 alone.
    /// </summary>
    public static IServiceCollection AddSupportBotKnowledge(this IServiceCollection services, IConfiguration configuration, bool background = true)
    {
        services.AddValidatedOptions<KnowledgeOptions>(configuration, KnowledgeOptions.Section);
        services.AddValidatedOptions<KnowledgeSearchOptions>(configuration, KnowledgeSearchOptions.Section);
        services.AddSingleton<IValidateOptions<KnowledgeOptions>>(new ConnectorOptionsValidator(configuration));
        services.AddHttpClient(ConnectorHttp.HttpClientName, http => http.Timeout = TimeSpan.FromSeconds(100));
        services.TryAddSingleton<KnowledgeSync>();
        services.TryAddSingleton<IRunLock, InMemoryRunLock>();
        services.AddValidatedOptions<EmbeddingOptions>(configuration, EmbeddingOptions.Section);
        var embeddings = configuration.GetSection(EmbeddingOptions.Section).Get<EmbeddingOptions>() ?? new EmbeddingOptions();
        if (embeddings.UsesLocalModel)
        {
            // After SupportBot.Llm's registration: a configured Llm:EmbeddingModel keeps precedence.
            services.TryAddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(sp =>
            {
                var settings = sp.GetRequiredService<IOptions<EmbeddingOptions>>().Value;
                return new LocalEmbeddingGenerator(settings.ModelPath, settings.Threads);
            });
        }

        services.TryAddSingleton<KnowledgeIndex>();
        services.TryAddSingleton(sp => sp.GetRequiredService<KnowledgeIndex>().Languages);
        services.TryAddSingleton<LuceneKnowledgeSearch>();
        services.TryAddSingleton<ArticleCatalog>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IKnowledgeSearch>(sp =>
        {
            IKnowledgeSearch search = sp.GetRequiredService<KnowledgeIndex>().Embedder is null
                ? sp.GetRequiredService<LuceneKnowledgeSearch>()
                : ActivatorUtilities.CreateInstance<HybridKnowledgeSearch>(sp);

            // Curation (when the core registered it) and the stale flag apply to either search.
            return new CuratedKnowledgeSearch(
                search,
                sp.GetService<CurationService>(),
                sp.GetRequiredService<IOptions<KnowledgeOptions>>(),
                sp.GetRequiredService<IOptions<KnowledgeSearchOptions>>(),
                sp.GetRequiredService<TimeProvider>(),
                sp.GetService<IOptions<SupportBot.Core.PastThreads.PastThreadsOptions>>()?.Value.Weight ?? 1.0);
        });
        services.AddHealthChecks().AddCheck<KnowledgeHealthCheck>("knowledge", tags: ["ready"]);
        if (background)
        {
            services.AddHostedService<KnowledgeIndexService>();
            services.AddHostedService<KnowledgeSyncScheduler>();
            if (services.Any(d => d.ServiceType == typeof(SupportBot.Core.PastThreads.IPastThreads)))
            {
                services.AddHostedService<PastThreads.PastThreadsIndexer>();
            }

            if (services.Any(d => d.ServiceType == typeof(SupportBot.Core.Articles.IArticleDrafts)))
            {
                services.AddHostedService<Shared.ApprovedArticlesIndexer>();
            }
        }

        return services;
    }
}
