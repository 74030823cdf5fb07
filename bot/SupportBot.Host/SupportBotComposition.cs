using Microsoft.Extensions.Diagnostics.HealthChecks;
using SupportBot.Core;
using SupportBot.Core.Configuration;
using SupportBot.Host.WebChat;
using SupportBot.Knowledge;
using SupportBot.Llm;
using SupportBot.Redis;
using SupportBot.Slack;
using SupportBot.Teams;

namespace SupportBot.Host;

/// <summary>The composition root: every part of SupportBot, with its embedded defaults.</summary>
public static class SupportBotComposition
{
    /// <summary>
    /// Adds the core pipeline, the knowledge index, Redis when configured and the web chat surface.
    /// <paramref name="serving"/> adds what only a long-running host needs (worker, index refresh).
    /// </summary>
    public static IHostApplicationBuilder AddSupportBot(this IHostApplicationBuilder builder, bool serving)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Configuration.AddSecretFiles();
        var services = builder.Services;
        var configuration = builder.Configuration;

        services.AddSingleton(PlatformsOf(configuration));
        services.AddSupportBotRedis(configuration);
        services.AddSupportBotLlm(configuration);
        services.AddSupportBotCore(configuration);
        services.AddSupportBotKnowledge(configuration, background: serving);
        services.AddChatSurface<WebChatSurface>();
        services.AddSupportBotSlack(configuration, background: serving);
        services.AddSupportBotTeams(configuration);

        if (!new RedisOptions { Configuration = configuration[$"{RedisOptions.Section}:Configuration"] }.Enabled)
        {
            services.AddHealthChecks().AddCheck("state", () => HealthCheckResult.Healthy("in-memory state (single process only)"), tags: ["ready"]);
        }

        services.AddHealthChecks().AddCheck<SupportBot.Core.Queue.QueueHealthCheck>("queue", tags: ["ready"]);
        if (serving)
        {
            services.AddHealthChecks().AddCheck<SupportBot.Core.Queue.LifecycleHealthCheck>("lifecycle", tags: ["ready"]);
            services.AddInboundWorker();
            services.AddHostedService<StartupReport>();
            services.AddHostedService<Lifecycle.WarmUp>();
        }

        return builder;
    }

    /// <summary>Whether Slack or Teams is configured: then the host faces real users.</summary>
    public static PlatformConnections PlatformsOf(IConfiguration configuration) => new(
        Slack: new SlackOptions { SigningSecret = configuration["Slack:SigningSecret"], BotToken = configuration["Slack:BotToken"] }.Enabled,
        Teams: !string.IsNullOrWhiteSpace(configuration["Teams:AppId"]));
}
