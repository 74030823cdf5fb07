using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using SupportBot.Llm;
using SupportBot.Host.Web;
using SupportBot.Redis;

namespace SupportBot.Host;

/// <summary>Says, once the host listens, where to chat and which defaults are in use.</summary>
internal sealed partial class StartupReport(
    IServer server,
    IHostApplicationLifetime lifetime,
    IOptions<RedisOptions> redis,
    IOptions<LlmOptions> llm,
    IServiceProvider services,
    ILogger<StartupReport> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(Report);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void Report()
    {
        if (!redis.Value.Enabled)
        {
            LogInMemory(logger);
        }

        LogProvider(logger, llm.Value.Provider);
        if (llm.Value.UsesEmbeddings)
        {
            LogHybrid(logger, llm.Value.EmbeddingModel!);
        }

        if (services.GetService<SupportBot.Core.Escalations.EscalationRoutes>() is { SetUp: false })
        {
            LogSampleRoutesUnused(logger);
        }

        if (services.GetService<SupportBot.Core.Configuration.PlatformConnections>() is { Any: true }
            && services.GetService<IOptions<SupportBot.Core.Cases.CaseOptions>>()?.Value.UsesSamples == true)
        {
            LogSampleCasesUnused(logger);
        }

        if (services.GetService<IOptions<SupportBot.Teams.TeamsOptions>>()?.Value is { Enabled: true, EffectiveAllowedTenants.Count: 0 })
        {
            LogAnyTenant(logger);
        }

        var access = services.GetService<WebAccess>();
        if (access?.Mode == WebAccessMode.Off)
        {
            LogWebOff(logger);
        }

        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        if (address is not null)
        {
            var baseUrl = address.TrimEnd('/').Replace("://0.0.0.0", "://localhost", StringComparison.Ordinal).Replace("://[::]", "://localhost", StringComparison.Ordinal);
            var pages = access is null or { Chat: true, Dashboard: true } ? $"Chat: {baseUrl}/chat  Dashboard: {baseUrl}/"
                : access.Chat ? $"Chat: {baseUrl}/chat"
                : access.Dashboard ? $"Dashboard: {baseUrl}/"
                : "Web chat and dashboard are off";
            Console.WriteLine($"SupportBot is running. {pages}  (Ctrl+C stops)");
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Teams accepts activities from any tenant: set Teams:TenantId (single-tenant bot) or Teams:AllowedTenants to limit it")]
    private static partial void LogAnyTenant(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Escalations are not set up: Slack or Teams is configured and Escalation:RoutesFile is not, and the built-in sample routes never send a real escalation. Set Escalation:RoutesFile to your routes")]
    private static partial void LogSampleRoutesUnused(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Case lookup is not set up: Slack or Teams is configured and neither Cases:File nor Cases:Provider=zendesk is, and the built-in sample cases are never shown to real users")]
    private static partial void LogSampleCasesUnused(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The web chat and the dashboard are off: Slack or Teams is configured, so this host faces the internet, and no sign-in is set up. Set Auth:Authority, Auth:ClientId and Auth:ClientSecret (OpenID Connect, e.g. Entra ID) to serve them behind sign-in")]
    private static partial void LogWebOff(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis:Configuration is empty: conversation state and the queue are in memory (single process only)")]
    private static partial void LogInMemory(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Answers are drafted by the {Provider} provider")]
    private static partial void LogProvider(ILogger logger, string provider);

    [LoggerMessage(Level = LogLevel.Information, Message = "Knowledge search is hybrid: BM25 fused with dense retrieval by {EmbeddingModel}")]
    private static partial void LogHybrid(ILogger logger, string embeddingModel);
}
