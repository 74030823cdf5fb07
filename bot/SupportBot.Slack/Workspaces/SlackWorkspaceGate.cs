using System.Threading.RateLimiting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace SupportBot.Slack.Workspaces;

/// <summary>What the gate decided about a delivery.</summary>
internal enum WorkspaceCheck
{
    /// <summary>From an allowed workspace, within its rate.</summary>
    Allowed,

    /// <summary>Signed for our app, but from a workspace (or Enterprise Grid org) that is not allowed.</summary>
    ForeignWorkspace,

    /// <summary>From a user of another organisation in a Slack Connect channel, and those are not answered.</summary>
    ExternalUser,

    /// <summary>The workspace sent more than <see cref="SlackOptions.WorkspaceRequestsPerMinute"/>.</summary>
    RateLimited,
}

/// <summary>
/// The workspace boundary: a request signed with our app's secret can still come from any workspace the app
/// is installed in, so each event, command and interaction is checked against <c>Slack:AllowedTeams</c> (by
/// default the workspace and Enterprise Grid org that <c>auth.test</c> names for the bot token). Users of
/// other organisations in Slack Connect channels are not answered unless <c>Slack:AnswerExternalUsers</c>.
/// Refusals are logged with ids only, never text.
/// </summary>
internal sealed partial class SlackWorkspaceGate : IDisposable
{
    private readonly SlackOptions _options;
    private readonly SlackBotIdentity _identity;
    private readonly ILogger<SlackWorkspaceGate> _logger;
    private readonly PartitionedRateLimiter<string> _limiter;
    private readonly HashSet<string> _configured;

    public SlackWorkspaceGate(IOptions<SlackOptions> options, SlackBotIdentity identity, ILogger<SlackWorkspaceGate> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _identity = identity;
        _logger = logger;
        _configured = new HashSet<string>(_options.AllowedTeams, StringComparer.Ordinal);
        var perMinute = _options.WorkspaceRequestsPerMinute;
        _limiter = PartitionedRateLimiter.Create<string, string>(team => RateLimitPartition.GetTokenBucketLimiter(team, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = perMinute,
            TokensPerPeriod = perMinute,
            ReplenishmentPeriod = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        }));
    }

    /// <summary>
    /// Checks a delivery: <paramref name="team"/> and <paramref name="enterprise"/> name the workspace it
    /// was sent from; <paramref name="userTeam"/>, when the payload says, the sender's own workspace.
    /// </summary>
    public async ValueTask<WorkspaceCheck> CheckAsync(string kind, string? team, string? enterprise, string? userTeam, CancellationToken cancellationToken)
    {
        var allowed = await AllowedAsync(cancellationToken);
        if (!IsAllowed(allowed, team, enterprise))
        {
            LogForeign(_logger, kind, team ?? "-", enterprise ?? "-");
            return WorkspaceCheck.ForeignWorkspace;
        }

        if (userTeam is not null && !IsAllowed(allowed, userTeam, null) && !_options.AnswerExternalUsers)
        {
            LogExternal(_logger, kind, userTeam);
            return WorkspaceCheck.ExternalUser;
        }

        using var lease = _limiter.AttemptAcquire(enterprise ?? team ?? string.Empty);
        if (!lease.IsAcquired)
        {
            LogRateLimited(_logger, kind, team ?? "-");
            return WorkspaceCheck.RateLimited;
        }

        return WorkspaceCheck.Allowed;
    }

    /// <summary>
    /// The answer to a slash command that may not run (null when it may): Slack shows a command's response
    /// body to the person who typed it, so they learn why nothing happened, and nothing else is done.
    /// </summary>
    public async ValueTask<Commands.SlashCommandResponse?> RefuseCommandAsync(Commands.SlashCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        return await CheckAsync("command", command.TeamId, command.EnterpriseId, null, cancellationToken) switch
        {
            WorkspaceCheck.Allowed => null,
            WorkspaceCheck.RateLimited => new Commands.SlashCommandResponse("Too many requests from this workspace right now. Please try again in a minute."),
            _ => new Commands.SlashCommandResponse("SupportBot does not serve this workspace."),
        };
    }

    /// <summary>True when <paramref name="userTeam"/> (a sender's own workspace) is not one of ours: a Slack Connect guest.</summary>
    public bool IsExternal(string? userTeam)
    {
        if (userTeam is null)
        {
            return false;
        }

        var allowed = _configured.Count > 0 ? _configured : FromIdentity(_identity.Current);
        return allowed is null || !allowed.Contains(userTeam);
    }

    public void Dispose() => _limiter.Dispose();

    private static bool IsAllowed(HashSet<string>? allowed, string? team, string? enterprise) =>
        allowed is not null && ((team is not null && allowed.Contains(team)) || (enterprise is not null && allowed.Contains(enterprise)));

    private async ValueTask<HashSet<string>?> AllowedAsync(CancellationToken cancellationToken)
    {
        if (_configured.Count > 0)
        {
            return _configured;
        }

        // Fail closed: until auth.test has named our workspace, nothing is accepted.
        var identity = _identity.Current ?? await _identity.EnsureAsync(cancellationToken);
        return FromIdentity(identity);
    }

    private static HashSet<string>? FromIdentity(WebApi.SlackIdentity? identity)
    {
        if (identity?.TeamId is null)
        {
            return null;
        }

        var set = new HashSet<string>(StringComparer.Ordinal) { identity.TeamId };
        if (identity.EnterpriseId is { Length: > 0 } enterprise)
        {
            set.Add(enterprise);
        }

        return set;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack {Kind} refused: workspace {Team} (enterprise {Enterprise}) is not in Slack:AllowedTeams")]
    private static partial void LogForeign(ILogger logger, string kind, string team, string enterprise);

    [LoggerMessage(Level = LogLevel.Information, Message = "Slack {Kind} not answered: the sender belongs to workspace {UserTeam} of another organisation (Slack:AnswerExternalUsers is off)")]
    private static partial void LogExternal(ILogger logger, string kind, string userTeam);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack {Kind} refused: workspace {Team} is over Slack:WorkspaceRequestsPerMinute")]
    private static partial void LogRateLimited(ILogger logger, string kind, string team);
}
