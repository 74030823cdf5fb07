using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using SupportBot.Core.Answering;
using SupportBot.Core.Audit;
using SupportBot.Core.Cases;
using SupportBot.Core.Channels;
using SupportBot.Core.Configuration;
using SupportBot.Core.Conversations;
using SupportBot.Core.Curation;
using SupportBot.Core.Escalations;
using SupportBot.Core.Insights;
using SupportBot.Core.Queue;
using SupportBot.Core.State;
using SupportBot.Core.Surfaces;

namespace SupportBot.Core;

/// <summary>Registers the platform-neutral core with its embedded (in-process) defaults.</summary>
public static class CoreServiceCollectionExtensions
{
    /// <summary>
    /// The pipeline, the extractive drafter and in-memory state, queue and insights. Replace a
    /// default by registering another implementation first (the Redis project does).
    /// </summary>
    public static IServiceCollection AddSupportBotCore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<ConversationOptions>(configuration, ConversationOptions.Section);
        services.AddValidatedOptions<AnsweringOptions>(configuration, AnsweringOptions.Section);
        services.AddValidatedOptions<QueueOptions>(configuration, QueueOptions.Section);
        services.AddValidatedOptions<RetentionOptions>(configuration, RetentionOptions.Section);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RetentionOptions>, RetentionOptionsValidator>());
        services.AddValidatedOptions<CaseOptions>(configuration, CaseOptions.Section).Configure(o =>
        {
            // One comma-separated value (an environment variable) as well as a list.
            foreach (var channel in (configuration[$"{CaseOptions.Section}:AllowedChannels"] ?? string.Empty).Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                o.AllowedChannels.Add(channel);
            }
        });
        services.AddValidatedOptions<EscalationOptions>(configuration, EscalationOptions.Section);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EscalationOptions>, EscalationOptionsValidator>());
        services.TryAddSingleton(sp =>
        {
            // The built-in sample routes serve only the local default: with real users they must never route.
            var options = sp.GetRequiredService<IOptions<EscalationOptions>>().Value;
            var routes = EscalationRoutes.Load(options.ResolvedRoutesFile);
            return sp.GetRequiredService<PlatformConnections>().Any && string.IsNullOrWhiteSpace(options.RoutesFile) ? routes.NotForUse() : routes;
        });
        services.AddHostedService<RoutesReloader>();
        services.TryAddSingleton<IEscalationStore, InMemoryEscalationStore>();
        services.TryAddSingleton<ISlaTimers, InMemorySlaTimers>();
        services.TryAddSingleton<ThreadPosters>();
        services.TryAddSingleton<IEscalationSummarizer, HeuristicEscalationSummarizer>();
        services.TryAddSingleton<EscalationForms>();
        services.TryAddSingleton<IActionSigningKeySource, ConfiguredOrRandomSigningKey>();
        services.TryAddSingleton<EscalationActionSigner>();
        services.TryAddSingleton<EscalationThreads>();
        services.TryAddSingleton<EscalationSla>();
        services.TryAddSingleton<EscalationRelay>();
        services.TryAddSingleton<IOutcomeSummarizer, LastWordOutcomeSummarizer>();
        services.TryAddSingleton<EscalationOutcome>();
        services.TryAddSingleton<EscalationService>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CaseOptions>, CaseOptionsValidator>());

        var curation = configuration.GetSection(SupportBot.Core.Curation.CurationOptions.Section);
        services.AddValidatedOptions<SupportBot.Core.Curation.CurationOptions>(configuration, SupportBot.Core.Curation.CurationOptions.Section).Configure(o =>
        {
            foreach (var group in (curation["ChatGroups"] ?? string.Empty).Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                o.ChatGroups.Add(group);
            }
        });
        services.AddValidatedOptions<ChannelOptions>(configuration, ChannelOptions.Section);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ChannelOptions>, ChannelOptionsValidator>());
        services.TryAddSingleton<ChannelDirectory>();
        services.AddHostedService(sp => sp.GetRequiredService<ChannelDirectory>());
        services.TryAddSingleton<IDailyCounters, InMemoryDailyCounters>();
        services.TryAddSingleton<ISharedDocuments, InMemorySharedDocuments>();
        services.TryAddSingleton<SupportBot.Core.Articles.IArticleDrafts, SupportBot.Core.Articles.InMemoryArticleDrafts>();
        services.AddValidatedOptions<SupportBot.Core.PastThreads.PastThreadsOptions>(configuration, SupportBot.Core.PastThreads.PastThreadsOptions.Section);
        services.AddValidatedOptions<SupportBot.Core.Articles.ApprovedArticlesOptions>(configuration, SupportBot.Core.Articles.ApprovedArticlesOptions.Section);
        services.TryAddSingleton<SupportBot.Core.PastThreads.IPastThreads, SupportBot.Core.PastThreads.InMemoryPastThreads>();
        services.TryAddSingleton<SupportBot.Core.PastThreads.ThreadSaver>();
        services.TryAddSingleton<ChannelGate>();

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(PlatformConnections.None);
        services.TryAddSingleton<IAuditTrail, InMemoryAuditTrail>();
        services.TryAddSingleton<ICurationStore, InMemoryCurationStore>();
        services.TryAddSingleton<CurationService>();
        services.TryAddSingleton<IConversationStore, InMemoryConversationStore>();
        services.TryAddSingleton<IDeduplicator, InMemoryDeduplicator>();
        services.TryAddSingleton<IRunLock, InMemoryRunLock>();
        services.TryAddSingleton<IReplyLog, InMemoryReplyLog>();
        services.TryAddSingleton<IReplyOutbox, InMemoryReplyOutbox>();
        services.TryAddSingleton<IInsightsStore, InMemoryInsightsStore>();
        services.TryAddSingleton<IInboundQueue, ChannelInboundQueue>();
        services.TryAddSingleton<ReplicaLifecycle>();

        services.TryAddSingleton<ExtractiveDrafter>();
        services.TryAddSingleton<IAnswerDrafter>(sp => sp.GetRequiredService<ExtractiveDrafter>());
        services.TryAddSingleton<ICustomerReplyDrafter, TemplateCustomerReplyDrafter>();
        services.TryAddSingleton<AnswerService>();
        services.TryAddSingleton<ChatSurfaces>();
        services.TryAddSingleton<ConversationPipeline>();
        AddCases(services, configuration);
        services.TryAddSingleton<InboundGateway>();
        return services;
    }

    private static void AddCases(IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton<CaseLookupService>();
        var provider = configuration[$"{CaseOptions.Section}:Provider"];
        if (string.Equals(provider, CaseOptions.ZendeskProvider, StringComparison.Ordinal))
        {
            services.AddHttpClient<ICaseProvider, ZendeskCaseProvider>((sp, http) =>
                    ZendeskCaseProvider.Configure(http, sp.GetRequiredService<IOptions<CaseOptions>>().Value))
                .AddStandardResilienceHandler(ZendeskCaseProvider.Resilience);
        }
        else
        {
            // The built-in sample cases serve only the local default: a deployment with real users and no case
            // file answers that case lookup is not set up.
            services.TryAddSingleton<ICaseProvider>(sp =>
                sp.GetRequiredService<PlatformConnections>().Any && sp.GetRequiredService<IOptions<CaseOptions>>().Value.UsesSamples
                    ? new UnconfiguredCaseProvider()
                    : ActivatorUtilities.CreateInstance<FileCaseProvider>(sp));
        }
    }

    /// <summary>The background worker that answers queued messages (hosts that serve chat).</summary>
    public static IServiceCollection AddInboundWorker(this IServiceCollection services)
    {
        services.AddHostedService<InboundWorker>();
        services.AddHostedService<QueueDepthSampler>();
        services.AddHostedService<SlaReminderService>();
        return services;
    }

    /// <summary>Adds a chat surface (a platform adapter) to the pipeline.</summary>
    public static IServiceCollection AddChatSurface<TSurface>(this IServiceCollection services)
        where TSurface : class, IChatSurface
    {
        services.TryAddSingleton<TSurface>();
        services.AddSingleton<IChatSurface>(sp => sp.GetRequiredService<TSurface>());
        return services;
    }
}
