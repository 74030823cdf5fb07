using Microsoft.Extensions.Options;

namespace SupportBot.Core.Cases;

/// <summary>Settings of the <c>Cases</c> section (docs/configuration.md).</summary>
public sealed class CaseOptions
{
    public const string Section = "Cases";
    public const string FileProvider = "file";
    public const string ZendeskProvider = "zendesk";

    /// <summary><c>file</c> (default: the built-in sample cases) or <c>zendesk</c>.</summary>
    public string Provider { get; set; } = FileProvider;

    /// <summary>A JSON array of cases; empty means the built-in samples.</summary>
    public string? File { get; set; }

    public string? BaseUrl { get; set; }

    public string? Email { get; set; }

    public string? ApiToken { get; set; }

    /// <summary>
    /// Channels where a case lookup may answer in the thread for everyone to read (a private channel of the
    /// team that owns the cases): channel ids, optionally as <c>surface:id</c> (<c>slack:C0123</c>). A list, or
    /// comma-separated. Elsewhere, outside direct messages, case details go to the asker privately.
    /// </summary>
    public IList<string> AllowedChannels { get; } = [];

    public bool AllowsChannel(Conversations.ConversationRef conversation)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        return AllowedChannels.Any(allowed =>
            string.Equals(allowed, conversation.Channel, StringComparison.Ordinal)
            || string.Equals(allowed, $"{conversation.Surface}:{conversation.Channel}", StringComparison.Ordinal));
    }

    /// <summary>True when neither a case file nor another provider was configured: the built-in samples would be used.</summary>
    public bool UsesSamples => Provider == FileProvider && string.IsNullOrWhiteSpace(File);

    public static string BuiltInCases => Path.Combine(AppContext.BaseDirectory, "samples", "cases", "cases.json");

    public string ResolvedFile => string.IsNullOrWhiteSpace(File) ? BuiltInCases : Path.GetFullPath(File);
}

/// <summary>Refuses an unknown provider and a Zendesk provider without its settings, naming each key.</summary>
internal sealed class CaseOptionsValidator : IValidateOptions<CaseOptions>
{
    public ValidateOptionsResult Validate(string? name, CaseOptions options)
    {
        var failures = new List<string>();
        switch (options.Provider)
        {
            case CaseOptions.FileProvider:
                if (!System.IO.File.Exists(options.ResolvedFile))
                {
                    failures.Add($"Cases:File: no file at '{options.ResolvedFile}'.");
                }

                break;
            case CaseOptions.ZendeskProvider:
                if (!Uri.TryCreate(options.BaseUrl, UriKind.Absolute, out var baseUrl) || baseUrl.Scheme is not ("https" or "http"))
                {
                    failures.Add("Cases:BaseUrl: an absolute URL is required for the zendesk provider (e.g. https://example.zendesk.com).");
                }

                if (string.IsNullOrWhiteSpace(options.Email))
                {
                    failures.Add("Cases:Email: required for the zendesk provider.");
                }

                if (string.IsNullOrWhiteSpace(options.ApiToken))
                {
                    failures.Add("Cases:ApiToken: required for the zendesk provider.");
                }

                break;
            default:
                failures.Add($"Cases:Provider: '{options.Provider}' is not supported; use file or zendesk.");
                break;
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
