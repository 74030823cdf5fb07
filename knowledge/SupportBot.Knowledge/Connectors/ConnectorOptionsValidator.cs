using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using SupportBot.Core.Configuration;

namespace SupportBot.Knowledge.Connectors;

/// <summary>
/// Checks every <c>Knowledge:Connectors:NAME</c> at start: a known type with the settings it needs, https addresses
/// (http only on loopback, for local stand-ins), sane limits, and no key that no setting reads. Each failure names its key.
/// </summary>
internal sealed partial class ConnectorOptionsValidator(IConfiguration configuration) : IValidateOptions<KnowledgeOptions>
{
    public ValidateOptionsResult Validate(string? name, KnowledgeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        foreach (var (source, connector) in options.Connectors)
        {
            failures.AddRange(Check(source, connector));
            var section = configuration.GetSection($"{KnowledgeOptions.Section}:Connectors:{source}");
            failures.AddRange(UnknownKeys.Find(section, typeof(ConnectorOptions), new HashSet<string>(StringComparer.OrdinalIgnoreCase)));
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>What is wrong with one connector's settings, each naming its key.</summary>
    public static IEnumerable<string> Check(string source, ConnectorOptions connector)
    {
        ArgumentNullException.ThrowIfNull(connector);
        var key = $"{KnowledgeOptions.Section}:Connectors:{source}";
        if (!SourceName().IsMatch(source))
        {
            yield return $"{key}: a source's name is 1–64 letters, digits, '-' or '_' (it names its cursor file and lock)";
        }

        if (source.Equals(SupportBot.Core.PastThreads.PastThread.SourceName, StringComparison.OrdinalIgnoreCase)
            || source.Equals(SupportBot.Core.Articles.ArticleDraft.SourceName, StringComparison.OrdinalIgnoreCase))
        {
            yield return $"{key}: '{source}' is the bot's own source of that name; give the connector another";
        }

        switch (connector.Type?.Trim().ToLowerInvariant())
        {
            case ConnectorOptions.Zendesk:
            case ConnectorOptions.Confluence:
                foreach (var problem in Url($"{key}:BaseUrl", connector.BaseUrl, required: true))
                {
                    yield return problem;
                }

                if (string.IsNullOrWhiteSpace(connector.Email))
                {
                    yield return $"{key}:Email: required for {connector.Type} (the account's e-mail for API token auth)";
                }

                if (string.IsNullOrWhiteSpace(connector.ApiToken))
                {
                    yield return $"{key}:ApiToken: required for {connector.Type}";
                }

                if (connector.Type.Trim().Equals(ConnectorOptions.Confluence, StringComparison.OrdinalIgnoreCase)
                    && !connector.Spaces.Any(s => !string.IsNullOrWhiteSpace(s)))
                {
                    yield return $"{key}:Spaces: name at least one space key";
                }

                if (connector.ProductArea is not ("category" or "section"))
                {
                    yield return $"{key}:ProductArea: must be category or section";
                }

                break;
            case ConnectorOptions.Crawler:
                if (string.IsNullOrWhiteSpace(connector.StartUrl) && string.IsNullOrWhiteSpace(connector.Sitemap))
                {
                    yield return $"{key}:StartUrl: a crawler needs StartUrl or Sitemap";
                }

                foreach (var problem in Url($"{key}:StartUrl", connector.StartUrl, required: false).Concat(Url($"{key}:Sitemap", connector.Sitemap, required: false)))
                {
                    yield return problem;
                }

                if (connector.MaxDepth is < 0 or > 50)
                {
                    yield return $"{key}:MaxDepth: must be 0–50";
                }

                if (connector.MaxPages is < 1 or > 100_000)
                {
                    yield return $"{key}:MaxPages: must be 1–100000";
                }

                if (connector.Delay < TimeSpan.Zero || connector.Delay > TimeSpan.FromMinutes(1))
                {
                    yield return $"{key}:Delay: must be 0 to 00:01:00";
                }

                if (string.IsNullOrWhiteSpace(connector.UserAgent))
                {
                    yield return $"{key}:UserAgent: must not be empty";
                }

                break;
            default:
                yield return $"{key}:Type: must be zendesk, confluence or crawler";
                break;
        }

        if (connector.Every is { } every && every < TimeSpan.FromSeconds(1))
        {
            yield return $"{key}:Every: must be at least 00:00:01 (or empty: on demand only)";
        }

        if (connector.FullSyncEvery < TimeSpan.Zero)
        {
            yield return $"{key}:FullSyncEvery: must not be negative";
        }

        if (connector.PageSize is < 1 or > 1000)
        {
            yield return $"{key}:PageSize: must be 1–1000";
        }
    }

    private static IEnumerable<string> Url(string key, string? value, bool required)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required)
            {
                yield return $"{key}: required";
            }

            yield break;
        }

        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            yield return $"{key}: not an absolute http(s) URL";
        }
        else if (uri.Scheme != Uri.UriSchemeHttps && !uri.IsLoopback)
        {
            // Credentials (and the content) travel with every request: plain http only to this machine.
            yield return $"{key}: must use https (http is allowed for loopback addresses only)";
        }
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")]
    private static partial Regex SourceName();
}
