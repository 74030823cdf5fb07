using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using SupportBot.Core;
using SupportBot.Core.Configuration;
using SupportBot.Host.WebChat;
using SupportBot.Knowledge;
using SupportBot.Redis;
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
        var services = builder.Services;
        var configuration = builder.Configuration;

        services.AddValidatedOptions<LlmOptions>(configuration, LlmOptions.Section);
        services.AddSingleton<IValidateOptions<LlmOptions>, LlmOptionsValidator>();

        services.AddSupportBotRedis(configuration);
        services.AddSupportBotCore(configuration);
        services.AddSupportBotKnowledge(configuration, background: serving);
        services.AddChatSurface<WebChatSurface>();
        services.AddSupportBotTeams(configuration);

        if (!new RedisOptions { Configuration = configuration[$"{RedisOptions.Section}:Configuration"] }.Enabled)
        {
            services.AddHealthChecks().AddCheck("state", () => HealthCheckResult.Healthy("in-memory state (single process only)"), tags: ["ready"]);
        }

        if (serving)
        {
            services.AddInboundWorker();
            services.AddHostedService<StartupReport>();
        }

        return builder;
    }
}

/// <summary>Refuses an unknown <c>Llm:Provider</c>, naming the key and what is accepted.</summary>
internal sealed class LlmOptionsValidator : IValidateOptions<LlmOptions>
{
    public ValidateOptionsResult Validate(string? name, LlmOptions options) =>
        LlmOptions.KnownProviders.Contains(options.Provider, StringComparer.Ordinal)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"Llm:Provider: '{options.Provider}' is not supported; use one of: {string.Join(", ", LlmOptions.KnownProviders)}.");
}
