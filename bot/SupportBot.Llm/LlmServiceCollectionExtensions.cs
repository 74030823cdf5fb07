using Azure.Identity;
using System.ClientModel;
using Azure.AI.OpenAI;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenAI;
using SupportBot.Core.Answering;
using SupportBot.Core.Configuration;
using SupportBot.Core.Escalations;
using SupportBot.Llm.Middleware;

namespace SupportBot.Llm;

public static class LlmServiceCollectionExtensions
{
    private const string ProviderClientKey = "SupportBot.Llm";

    /// <summary>
    /// With <c>Llm:Provider</c> <c>azure-openai</c> or <c>openai</c>: answers, customer-reply drafts and
    /// escalation summaries by the model through one Microsoft.Extensions.AI pipeline (OpenTelemetry,
    /// logging, timeout), falling back to the offline drafters and summarizer on error or timeout. With
    /// <c>Llm:EmbeddingModel</c> as well: an <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/> from the same
    /// provider client, which the knowledge index uses for hybrid search. With <c>extractive</c> (the default): nothing to add.
    /// </summary>
    public static IServiceCollection AddSupportBotLlm(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<LlmOptions>(configuration, LlmOptions.Section);
        services.AddSingleton<IValidateOptions<LlmOptions>, LlmOptionsValidator>();
        var options = configuration.GetSection(LlmOptions.Section).Get<LlmOptions>() ?? new LlmOptions();
        if (!options.UsesModel)
        {
            return services;
        }

        // One provider client (one connection pool) for chat and embeddings, keyed so it never meets another registration.
        services.AddKeyedSingleton(ProviderClientKey, (sp, _) => CreateProviderClient(sp.GetRequiredService<IOptions<LlmOptions>>().Value));
        services.AddSingleton(sp =>
        {
            var settings = sp.GetRequiredService<IOptions<LlmOptions>>().Value;
            return new ChatClientBuilder(sp.GetRequiredKeyedService<OpenAIClient>(ProviderClientKey).GetChatClient(settings.Model!).AsIChatClient())
                .UseOpenTelemetry(sourceName: "SupportBot.Llm")
                .UseLogging(sp.GetRequiredService<ILoggerFactory>())
                .UseTimeout(settings.Timeout)
                .Build(sp);
        });
        services.AddSingleton<ExtractiveDrafter>();
        services.AddSingleton<IAnswerDrafter>(sp => new FallbackAnswerDrafter(
            ActivatorUtilities.CreateInstance<LlmAnswerDrafter>(sp),
            sp.GetRequiredService<ExtractiveDrafter>(),
            sp.GetRequiredService<ILogger<FallbackAnswerDrafter>>()));
        services.AddSingleton<ICustomerReplyDrafter, LlmCustomerReplyDrafter>();
        if (options.UsesEmbeddings)
        {
            services.AddSingleton(sp =>
            {
                var settings = sp.GetRequiredService<IOptions<LlmOptions>>().Value;
                return new EmbeddingGeneratorBuilder<string, Embedding<float>>(
                        sp.GetRequiredKeyedService<OpenAIClient>(ProviderClientKey).GetEmbeddingClient(settings.EmbeddingModel!).AsIEmbeddingGenerator())
                    .UseOpenTelemetry(sourceName: "SupportBot.Llm")
                    .UseLogging(sp.GetRequiredService<ILoggerFactory>())
                    .UseTimeout(settings.Timeout)
                    .Build(sp);
            });
        }

        services.AddSingleton<IEscalationSummarizer, LlmEscalationSummarizer>();
        services.AddSingleton<IOutcomeSummarizer, LlmOutcomeSummarizer>();
        return services;
    }

    /// <summary>
    /// Azure's client derives from OpenAI's: both hand out chat and embedding clients for a model or deployment. Azure
    /// OpenAI without <c>Llm:ApiKey</c> authenticates with Microsoft Entra ID through <see cref="DefaultAzureCredential"/>
    /// (a managed or workload identity in Azure, the environment's service principal, or a developer's sign-in), so no
    /// key lives in configuration; the identity needs the "Cognitive Services OpenAI User" role on the resource.
    /// </summary>
    internal static OpenAIClient CreateProviderClient(LlmOptions settings)
    {
        if (settings.Provider == LlmOptions.AzureOpenAI)
        {
            return string.IsNullOrWhiteSpace(settings.ApiKey)
                ? new AzureOpenAIClient(new Uri(settings.Endpoint!), new DefaultAzureCredential())
                : new AzureOpenAIClient(new Uri(settings.Endpoint!), new ApiKeyCredential(settings.ApiKey));
        }

        return new OpenAIClient(new ApiKeyCredential(settings.ApiKey!), new OpenAIClientOptions { Endpoint = string.IsNullOrWhiteSpace(settings.Endpoint) ? null : new Uri(settings.Endpoint) });
    }
}
