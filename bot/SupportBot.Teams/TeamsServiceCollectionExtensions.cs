using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using SupportBot.Core;
using SupportBot.Core.Configuration;
using SupportBot.Core.Escalations;
using SupportBot.Teams.Auth;
using SupportBot.Teams.Connector;

namespace SupportBot.Teams;

public static class TeamsServiceCollectionExtensions
{
    /// <summary>
    /// The Teams surface: validated <c>Teams</c> options always; the authenticator, the Connector client
    /// and the surface only when <c>Teams:AppId</c> is set.
    /// </summary>
    public static IServiceCollection AddSupportBotTeams(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(TeamsOptions.Section);
        services.AddValidatedOptions<TeamsOptions>(configuration, TeamsOptions.Section).Configure(options =>
        {
            // One comma-separated value (an environment variable) as well as a list.
            foreach (var (key, list) in new[] { ("AllowedTenants", options.AllowedTenants), ("AllowedServiceHosts", options.AllowedServiceHosts) })
            {
                foreach (var item in (section[key] ?? string.Empty).Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    list.Add(item);
                }
            }
        });

        if (string.IsNullOrWhiteSpace(section["AppId"]))
        {
            return services;
        }

        // OpenID metadata and signing keys (GET): retried, each attempt bounded, so a slow key refresh cannot hang a request.
        services.AddHttpClient(BotFrameworkAuthenticator.MetadataClient).AddStandardResilienceHandler();
        services.AddHttpClient(BotTokenProvider.HttpClientName).AddResilienceHandler("teams-token", pipeline => pipeline.AddRetry(Retry(3)));
        services.AddHttpClient(ConnectorClient.HttpClientName).AddResilienceHandler("teams-connector", pipeline => pipeline.AddRetry(Retry(4)));

        services.AddSingleton<BotFrameworkAuthenticator>();
        services.AddSingleton<TeamsAccessPolicy>();
        services.AddSingleton<BotCredential>();
        services.AddSingleton<BotTokenProvider>();
        services.AddSingleton<ConnectorClient>();
        services.AddSingleton<TeamsActivityHandler>();
        services.AddSingleton<Extensions.CurationAction>();
        services.AddSingleton<Extensions.AskAction>();
        services.AddSingleton<Extensions.KnowledgeSearchExtension>();
        services.AddChatSurface<TeamsSurface>();
        services.AddSingleton<IThreadPoster>(sp => sp.GetRequiredService<TeamsSurface>());
        // Graph's group check runs while a responder waits on a button: retried twice, within 10 s in all.
        services.AddHttpClient(GraphClient.HttpClientName).AddStandardResilienceHandler(options =>
        {
            options.Retry.MaxRetryAttempts = 2;
            options.Retry.Delay = TimeSpan.FromMilliseconds(500);
            options.AttemptTimeout.Timeout = TimeSpan.FromSeconds(4);
            options.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(10);
        });
        services.AddSingleton<GraphTokenProvider>();
        services.AddSingleton<GraphClient>();
        services.AddSingleton<IResponderDirectory, Escalations.TeamsResponderDirectory>();
        services.AddSingleton<Escalations.TeamsPeopleDirectory>();
        services.AddSingleton<IPresenceDirectory>(sp => sp.GetRequiredService<Escalations.TeamsPeopleDirectory>());
        return services;
    }

    /// <summary>
    /// The Connector's documented retry cases: 429 (honouring Retry-After), 412, 502, 503 and 504, with
    /// exponential backoff and jitter. Other failures (400, 403, 413 too big) are not worth repeating.
    /// </summary>
    internal static HttpRetryStrategyOptions Retry(int attempts) => new()
    {
        MaxRetryAttempts = attempts,
        BackoffType = DelayBackoffType.Exponential,
        UseJitter = true,
        Delay = TimeSpan.FromSeconds(1),
        MaxDelay = TimeSpan.FromSeconds(30),
        ShouldRetryAfterHeader = true,
        ShouldHandle = args => ValueTask.FromResult(!IsSingleAttempt(args.Context) && args.Outcome switch
        {
            { Exception: HttpRequestException } => true,
            { Result: { } response } => IsRetryable(response.StatusCode),
            _ => false,
        }),
    };

    private static bool IsSingleAttempt(ResilienceContext context) =>
        context.GetRequestMessage()?.Options.TryGetValue(ConnectorClient.SingleAttempt, out var single) == true && single;

    internal static bool IsRetryable(HttpStatusCode status) => status is HttpStatusCode.TooManyRequests or HttpStatusCode.PreconditionFailed
        or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;
}
