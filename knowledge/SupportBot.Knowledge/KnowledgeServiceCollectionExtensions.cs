using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SupportBot.Core.Answering;
using SupportBot.Core.Configuration;
using SupportBot.Knowledge.Index;
using SupportBot.Knowledge.Search;

namespace SupportBot.Knowledge;

public static class KnowledgeServiceCollectionExtensions
{
    /// <summary>The Lucene.Net knowledge index and search; <paramref name="background"/> opens it when the host starts.</summary>
    public static IServiceCollection AddSupportBotKnowledge(this IServiceCollection services, IConfiguration configuration, bool background = true)
    {
        services.AddValidatedOptions<KnowledgeOptions>(configuration, KnowledgeOptions.Section);
        services.AddValidatedOptions<KnowledgeSearchOptions>(configuration, KnowledgeSearchOptions.Section);
        services.TryAddSingleton<KnowledgeIndex>();
        services.TryAddSingleton<IKnowledgeSearch, LuceneKnowledgeSearch>();
        services.AddHealthChecks().AddCheck<KnowledgeHealthCheck>("knowledge", tags: ["ready"]);
        if (background)
        {
            services.AddHostedService<KnowledgeIndexService>();
        }

        return services;
    }
}
