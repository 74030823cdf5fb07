using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using SupportBot.Core;
using SupportBot.Core.Configuration;
using SupportBot.Core.Escalations;
using SupportBot.Slack.Commands;
using SupportBot.Slack.Events;
using SupportBot.Slack.Interactions;
using SupportBot.Slack.Modals;
using SupportBot.Slack.Signing;
using SupportBot.Slack.SocketMode;
using SupportBot.Slack.WebApi;
using SupportBot.Slack.Workspaces;

namespace SupportBot.Slack;

/// <summary>Registers the Slack surface when <c>Slack:SigningSecret</c> and <c>Slack:BotToken</c> are both set.</summary>
public static class SlackServiceCollectionExtensions
{
    /// <param name="background">Hosts that serve chat: learn the bot's identity at start, resolve threads, run Socket Mode.</param>
    public static IServiceCollection AddSupportBotSlack(this IServiceCollection services, IConfiguration configuration, bool background)
    {
        var lists = configuration.GetSection(SlackOptions.Section);
        services.AddValidatedOptions<SlackOptions>(configuration, SlackOptions.Section).Configure(options =>
        {
            // One comma-separated value (an environment variable) as well as a list.
            AddListed(options.AllowedTeams, lists["AllowedTeams"]);
            AddListed(options.ResponseUrlHosts, lists["ResponseUrlHosts"]);
        });
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SlackOptions>, SlackOptionsValidator>());

        var section = configuration.GetSection(SlackOptions.Section);
        var configured = new SlackOptions { SigningSecret = section["SigningSecret"], BotToken = section["BotToken"], AppToken = section["AppToken"] };
        if (!configured.Enabled)
        {
            return services;
        }

        services.AddHttpClient(SlackApiClient.HttpClientName, (sp, http) => http.BaseAddress = sp.GetRequiredService<IOptions<SlackOptions>>().Value.ApiBase)
            .AddResilienceHandler("slack-web-api", SlackResilience.Configure);
        // A response_url post shows a message: one attempt, bounded, since a retry after a lost answer could show it twice.
        services.AddHttpClient(SlackResponseUrl.HttpClientName, http => http.Timeout = TimeSpan.FromSeconds(10));

        services.TryAddSingleton<SlackApiClient>();
        services.TryAddSingleton<SlackBotIdentity>();
        services.TryAddSingleton<SlackWorkspaceGate>();
        services.TryAddSingleton(sp => new SlackSignatureVerifier(sp.GetRequiredService<IOptions<SlackOptions>>().Value.SigningSecret!, sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<SlackThreadResolver>();
        services.TryAddSingleton<Assistant.SlackAssistant>();
        services.TryAddSingleton<SlackNativeStreaming>();
        services.TryAddSingleton<SlackEventHandler>();
        services.TryAddSingleton<SlackResponseUrl>();
        services.TryAddSingleton<EscalationModals>();
        services.TryAddSingleton<FeedbackModal>();
        services.TryAddSingleton<RatingCommentModal>();
        services.TryAddSingleton<CurationModal>();
        services.TryAddSingleton<SlashCommandHandler>();
        services.TryAddSingleton<SlackInteractionHandler>();
        services.AddChatSurface<SlackSurface>();
        services.AddSingleton<IThreadPoster>(sp => sp.GetRequiredService<SlackSurface>());
        services.AddSingleton<IResponderDirectory, Escalations.SlackResponderDirectory>();
        services.AddSingleton<IPresenceDirectory, Escalations.SlackPresenceDirectory>();

        if (background)
        {
            services.AddHostedService<SlackStartup>();
            services.AddHostedService(sp => sp.GetRequiredService<SlackThreadResolver>());
            if (configured.SocketMode)
            {
                services.TryAddSingleton<SlackSocketModeClient>();
                services.AddHostedService(sp => sp.GetRequiredService<SlackSocketModeClient>());
            }
        }

        return services;
    }

    private static void AddListed(ICollection<string> list, string? value)
    {
        foreach (var item in (value ?? string.Empty).Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            list.Add(item);
        }
    }
}
