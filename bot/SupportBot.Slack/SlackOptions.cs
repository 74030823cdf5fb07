using Microsoft.Extensions.Options;

namespace SupportBot.Slack;

/// <summary>The <c>Slack</c> configuration section (docs/configuration.md).</summary>
public sealed class SlackOptions
{
    public const string Section = "Slack";
    public const string DefaultApiBaseUrl = "https://slack.com/api/";

    /// <summary>The app's signing secret: every inbound request is verified with it.</summary>
    public string? SigningSecret { get; set; }

    /// <summary>The bot token (<c>xoxb-…</c>) sent as <c>Authorization: Bearer</c> on Web API calls.</summary>
    public string? BotToken { get; set; }

    /// <summary>The app-level token (<c>xapp-…</c>): when set, events arrive over Socket Mode.</summary>
    public string? AppToken { get; set; }

    /// <summary>Where the Web API lives; tests point it at a local stand-in.</summary>
    public string ApiBaseUrl { get; set; } = DefaultApiBaseUrl;

    /// <summary>
    /// Workspace (<c>T…</c>) or Enterprise Grid org (<c>E…</c>) ids whose events, commands and interactions are
    /// taken; empty: the workspace and org that <c>auth.test</c> names for the bot token. A list, or one
    /// comma-separated value.
    /// </summary>
    public IList<string> AllowedTeams { get; } = [];

    /// <summary>Answer users of other organisations in Slack Connect channels (never with case data). Off by default.</summary>
    public bool AnswerExternalUsers { get; set; }

    /// <summary>Events, commands and interactions one workspace may send per minute before it is refused for a while.</summary>
    public int WorkspaceRequestsPerMinute { get; set; } = 6_000;

    /// <summary>
    /// Hosts a slash command's or an interaction's <c>response_url</c> may point at; anything else is never
    /// called. Tests add their loopback stand-in.
    /// </summary>
    public IList<string> ResponseUrlHosts { get; } = [];

    /// <summary>
    /// Stream a model's answer with Slack's streaming methods (<c>chat.startStream</c>, <c>chat.appendStream</c>,
    /// <c>chat.stopStream</c>). Where a workspace refuses them, and when off, the answer grows by editing a message
    /// (<c>chat.update</c>).
    /// </summary>
    public bool NativeStreaming { get; set; } = true;

    /// <summary>Slack's own: where response URLs live.</summary>
    public const string SlackHooksHost = "hooks.slack.com";

    /// <summary>Slack is enabled when both the signing secret and the bot token are set.</summary>
    public bool Enabled => !string.IsNullOrEmpty(SigningSecret) && !string.IsNullOrEmpty(BotToken);

    public bool SocketMode => Enabled && !string.IsNullOrEmpty(AppToken);

    /// <summary><see cref="ApiBaseUrl"/> as a URI that ends with a slash, so method names resolve under it.</summary>
    public Uri ApiBase => new(ApiBaseUrl.EndsWith('/') ? ApiBaseUrl : ApiBaseUrl + "/", UriKind.Absolute);
}

/// <summary>Refuses half-configured or malformed Slack settings, naming the key.</summary>
internal sealed class SlackOptionsValidator : IValidateOptions<SlackOptions>
{
    public ValidateOptionsResult Validate(string? name, SlackOptions options)
    {
        var failures = new List<string>();
        var hasSecret = !string.IsNullOrEmpty(options.SigningSecret);
        var hasToken = !string.IsNullOrEmpty(options.BotToken);
        if (hasSecret && !hasToken)
        {
            failures.Add("Slack:BotToken: required when Slack:SigningSecret is set (Slack needs both).");
        }

        if (hasToken && !hasSecret)
        {
            failures.Add("Slack:SigningSecret: required when Slack:BotToken is set (Slack needs both).");
        }

        if (!string.IsNullOrEmpty(options.AppToken) && !options.AppToken.StartsWith("xapp-", StringComparison.Ordinal))
        {
            failures.Add("Slack:AppToken: must be an app-level token starting with 'xapp-'.");
        }

        if (options.WorkspaceRequestsPerMinute < 1)
        {
            failures.Add($"Slack:WorkspaceRequestsPerMinute: must be at least 1 (is {options.WorkspaceRequestsPerMinute}).");
        }

        foreach (var team in options.AllowedTeams)
        {
            if (team.Length < 2 || team[0] is not ('T' or 'E') || !team.All(char.IsAsciiLetterOrDigit))
            {
                failures.Add($"Slack:AllowedTeams: '{team}' is not a workspace id (T…) or an Enterprise Grid id (E…).");
            }
        }

        if (!Uri.TryCreate(options.ApiBaseUrl, UriKind.Absolute, out var api) || (api.Scheme != Uri.UriSchemeHttps && api.Scheme != Uri.UriSchemeHttp))
        {
            failures.Add($"Slack:ApiBaseUrl: '{options.ApiBaseUrl}' is not an absolute http(s) URL.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
