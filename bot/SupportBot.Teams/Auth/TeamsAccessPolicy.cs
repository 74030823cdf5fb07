using System.Collections.Frozen;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SupportBot.Teams.Activities;

namespace SupportBot.Teams.Auth;

/// <summary>
/// What an authenticated activity must also satisfy before anything is done with it: it comes from Teams
/// (channel <c>msteams</c>; other Bot Framework channels only in Development), from an allowed tenant
/// (every tenant the activity and its token name), its <c>serviceUrl</c> is a Bot Framework service host
/// (the bot sends its token there when it replies) over https, and its tenant is within its rate.
/// Refusals are logged with ids only, never the text.
/// </summary>
internal sealed partial class TeamsAccessPolicy : IDisposable
{
    public const string TeamsChannel = "msteams";

    private readonly FrozenSet<string> _allowedTenants;
    private readonly string[] _serviceHosts;
    private readonly bool _development;
    private readonly PartitionedRateLimiter<string> _limiter;
    private readonly ILogger<TeamsAccessPolicy> _logger;

    public TeamsAccessPolicy(IOptions<TeamsOptions> options, IHostEnvironment environment, ILogger<TeamsAccessPolicy> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(environment);
        var settings = options.Value;
        _logger = logger;
        _development = environment.IsDevelopment();
        _allowedTenants = settings.EffectiveAllowedTenants.ToFrozenSet(StringComparer.OrdinalIgnoreCase);
        _serviceHosts = [.. settings.EffectiveServiceHosts];
        var perMinute = settings.TenantRequestsPerMinute;
        _limiter = PartitionedRateLimiter.Create<string, string>(tenant => RateLimitPartition.GetTokenBucketLimiter(tenant, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = perMinute,
            TokensPerPeriod = perMinute,
            ReplenishmentPeriod = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        }));
    }

    /// <summary>200 when the activity may be handled; otherwise the status to answer with (403 refused, 429 over the rate).</summary>
    public int Check(BotFrameworkIdentity identity, Activity activity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(activity);
        var type = activity.Type ?? "-";
        if (!_development && activity.ChannelId != TeamsChannel)
        {
            LogRefused(_logger, type, "channel is not msteams", activity.ChannelId ?? "-");
            return StatusCodes.Status403Forbidden;
        }

        if (!IsAllowedServiceUrl(activity.ServiceUrl))
        {
            LogRefused(_logger, type, "serviceUrl is not a Bot Framework service host", Host(activity.ServiceUrl));
            return StatusCodes.Status403Forbidden;
        }

        string?[] tenants = [activity.Conversation?.TenantId, activity.ChannelData?.Tenant?.Id, identity.TenantId];
        if (_allowedTenants.Count > 0)
        {
            var named = tenants.OfType<string>().ToList();
            if (named.Count == 0 || named.Any(t => !_allowedTenants.Contains(t)))
            {
                LogRefused(_logger, type, "tenant not allowed", string.Join(',', named.Distinct(StringComparer.OrdinalIgnoreCase)));
                return StatusCodes.Status403Forbidden;
            }
        }

        using var lease = _limiter.AttemptAcquire(tenants.OfType<string>().FirstOrDefault() ?? string.Empty);
        if (!lease.IsAcquired)
        {
            LogRefused(_logger, type, "tenant over Teams:TenantRequestsPerMinute", activity.TenantId ?? "-");
            return StatusCodes.Status429TooManyRequests;
        }

        return StatusCodes.Status200OK;
    }

    /// <summary>
    /// A service URL the bot may send its token to: https (or, in Development, http on loopback for the
    /// Emulator) on a host of the allow-list; a <c>*.</c> entry allows that domain's subdomains.
    /// </summary>
    public bool IsAllowedServiceUrl(string? serviceUrl)
    {
        if (!Uri.TryCreate(serviceUrl, UriKind.Absolute, out var uri))
        {
            return false;
        }

        if (uri.Scheme != Uri.UriSchemeHttps && !(_development && uri.Scheme == Uri.UriSchemeHttp))
        {
            return false;
        }

        if (_development && uri.IsLoopback)
        {
            return true;
        }

        var host = uri.IdnHost;
        return _serviceHosts.Any(allowed => allowed.StartsWith("*.", StringComparison.Ordinal)
            ? host.EndsWith(allowed[1..], StringComparison.OrdinalIgnoreCase)
            : string.Equals(host, allowed, StringComparison.OrdinalIgnoreCase));
    }

    public void Dispose() => _limiter.Dispose();

    private static string Host(string? url) => Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.Host : "-";

    [LoggerMessage(Level = LogLevel.Warning, Message = "Teams {ActivityType} refused: {Reason} ({Detail})")]
    private static partial void LogRefused(ILogger logger, string activityType, string reason, string detail);
}
