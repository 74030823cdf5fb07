using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using SupportBot.Core.Configuration;
using SupportBot.Core.Conversations;
using SupportBot.Core.Escalations;
using SupportBot.Core.Insights;
using SupportBot.Core.Queue;
using SupportBot.Core.State;

namespace SupportBot.Redis;

public static class RedisServiceCollectionExtensions
{
    /// <summary>
    /// When <c>Redis:Configuration</c> is set: state, dedupe, replies, insights and the inbound queue in
    /// Redis, shared by every replica, and a readiness check. Otherwise nothing (in-memory defaults).
    /// </summary>
    public static IServiceCollection AddSupportBotRedis(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<RedisOptions>(configuration, RedisOptions.Section);
        services.AddSingleton<IValidateOptions<RedisOptions>, RedisOptionsValidator>();
        var options = configuration.GetSection(RedisOptions.Section).Get<RedisOptions>() ?? new RedisOptions();
        if (!options.Enabled)
        {
            return services;
        }

        services.AddSingleton<IConnectionMultiplexer>(sp =>
        {
            var config = ConfigurationOptions.Parse(sp.GetRequiredService<IOptions<RedisOptions>>().Value.Configuration!);
            // Start even when Redis is down; readiness reports it and the multiplexer keeps reconnecting.
            config.AbortOnConnectFail = false;
            return ConnectionMultiplexer.Connect(config);
        });
        services.AddSingleton(sp => new RedisKeys(sp.GetRequiredService<IOptions<RedisOptions>>().Value.KeyPrefix));
        services.AddSingleton<IConversationStore, RedisConversationStore>();
        services.AddSingleton<IDeduplicator, RedisDeduplicator>();
        services.AddSingleton<IRunLock, RedisRunLock>();
        services.AddSingleton<IReplyLog, RedisReplyLog>();
        services.AddSingleton<IReplyOutbox, RedisReplyOutbox>();
        services.AddSingleton<IInsightsStore, RedisInsightsStore>();
        services.AddSingleton<SupportBot.Core.Channels.IDailyCounters, RedisDailyCounters>();
        services.AddSingleton<SupportBot.Core.Configuration.ISharedDocuments, RedisSharedDocuments>();
        services.AddSingleton<SupportBot.Core.Articles.IArticleDrafts, RedisArticleDrafts>();
        services.AddSingleton<SupportBot.Core.PastThreads.IPastThreads, RedisPastThreads>();
        services.AddSingleton<IInboundQueue, RedisInboundQueue>();
        services.AddSingleton<IEscalationStore, RedisEscalationStore>();
        services.AddSingleton<ISlaTimers, RedisSlaTimers>();
        services.AddSingleton<SupportBot.Core.Audit.IAuditTrail, RedisAuditTrail>();
        services.AddSingleton<SupportBot.Core.Curation.ICurationStore, RedisCurationStore>();
        services.AddSingleton<IDataEraser, RedisDataEraser>();
        services.AddSingleton<IActionSigningKeySource, RedisActionSigningKey>();
        services.AddHealthChecks().AddCheck<RedisHealthCheck>("redis", tags: ["ready"]);
        return services;
    }
}

/// <summary>Refuses a configuration string StackExchange.Redis cannot parse, naming the key.</summary>
internal sealed class RedisOptionsValidator : IValidateOptions<RedisOptions>
{
    public ValidateOptionsResult Validate(string? name, RedisOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.KeyPrefix) || options.KeyPrefix.AsSpan().IndexOfAny('{', '}', ' ') >= 0)
        {
            return ValidateOptionsResult.Fail("Redis:KeyPrefix: must be non-empty, without braces or spaces.");
        }

        if (!options.Enabled)
        {
            return ValidateOptionsResult.Success;
        }

        try
        {
            var parsed = ConfigurationOptions.Parse(options.Configuration!);
            return parsed.EndPoints.Count == 0
                ? ValidateOptionsResult.Fail("Redis:Configuration: names no endpoint (expected e.g. 'localhost:6379').")
                : ValidateOptionsResult.Success;
        }
        catch (ArgumentException ex)
        {
            return ValidateOptionsResult.Fail($"Redis:Configuration: {ex.Message}");
        }
    }
}
