using System.ComponentModel.DataAnnotations;
using SupportBot.Teams.Connector;

namespace SupportBot.Teams;

/// <summary>Settings of the <c>Teams</c> section (docs/configuration.md). Teams is enabled when <see cref="AppId"/> is set.</summary>
public sealed class TeamsOptions : IValidatableObject
{
    public const string Section = "Teams";
    public const string BotFrameworkOpenIdMetadataUrl = "https://login.botframework.com/v1/.well-known/openidconfiguration";
    public const string BotFrameworkTokenEndpoint = "https://login.microsoftonline.com/botframework.com/oauth2/v2.0/token";

    /// <summary>The bot's Microsoft App ID: the audience of inbound tokens and the client id of outbound ones.</summary>
    public string? AppId { get; set; }

    /// <summary>The client secret of the bot registration, for the outbound token.</summary>
    public string? AppPassword { get; set; }

    /// <summary>How the bot proves its identity for outbound tokens; <see cref="TeamsCredential.Auto"/> picks from what is set.</summary>
    public TeamsCredential Credential { get; set; }

    /// <summary>The bot registration's certificate: a PEM file (certificate and key, or the key in <see cref="CertificateKeyPath"/>) or a PKCS#12 file.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>The PEM private key of <see cref="CertificatePath"/>, when it is a separate file (a Kubernetes TLS secret's <c>tls.key</c>).</summary>
    public string? CertificateKeyPath { get; set; }

    /// <summary>The password of a PKCS#12 <see cref="CertificatePath"/>, or of an encrypted PEM key.</summary>
    public string? CertificatePassword { get; set; }

    /// <summary>Set for a single-tenant bot: Entra ID tokens of this tenant are accepted too.</summary>
    public string? TenantId { get; set; }

    public string OpenIdMetadataUrl { get; set; } = BotFrameworkOpenIdMetadataUrl;

    /// <summary>Where the outbound token is asked for; empty: the Bot Framework's, or <see cref="TenantId"/>'s for a single-tenant bot.</summary>
    public string? TokenEndpoint { get; set; }

    public string EffectiveTokenEndpoint =>
        !string.IsNullOrWhiteSpace(TokenEndpoint) ? TokenEndpoint
        : string.IsNullOrWhiteSpace(TenantId) ? BotFrameworkTokenEndpoint : TenantTokenEndpoint(TenantId);

    /// <summary>Tenant ids allowed to talk to the bot; empty allows any. A list, or one comma-separated value.</summary>
    public IList<string> AllowedTenants { get; } = [];

    /// <summary>
    /// Hosts an activity's <c>serviceUrl</c> may name (the bot sends its token there to reply); <c>*.</c> allows
    /// subdomains. Empty: <see cref="BotFrameworkServiceHosts"/>.
    /// </summary>
    public IList<string> AllowedServiceHosts { get; } = [];

    /// <summary>Microsoft Graph, for escalation responders' group membership; tests point it at a stand-in.</summary>
    public string GraphBaseUrl { get; set; } = "https://graph.microsoft.com/";

    /// <summary>Where the Graph token is asked for; empty: the Entra ID endpoint of <see cref="TenantId"/>.</summary>
    public string? GraphTokenEndpoint { get; set; }

    public string? EffectiveGraphTokenEndpoint =>
        !string.IsNullOrWhiteSpace(GraphTokenEndpoint) ? GraphTokenEndpoint
        : string.IsNullOrWhiteSpace(TenantId) ? null : TenantTokenEndpoint(TenantId);

    /// <summary>The credential in use: <see cref="Credential"/>, or for <c>Auto</c> the certificate when one is named, else the secret.</summary>
    public TeamsCredential EffectiveCredential =>
        Credential != TeamsCredential.Auto ? Credential
        : !string.IsNullOrWhiteSpace(CertificatePath) ? TeamsCredential.Certificate : TeamsCredential.ClientSecret;

    private static string TenantTokenEndpoint(string tenant) => $"https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token";

    /// <summary>Activities one tenant may send per minute before it is answered 429 for a while.</summary>
    public int TenantRequestsPerMinute { get; set; } = 6_000;

    /// <summary>
    /// Model-drafted answers in personal chats stream with Teams' streaming protocol (an informative update, the text as
    /// it grows, the final message); off, or in group chats and channels, the answer is one finished message.
    /// </summary>
    public bool Streaming { get; set; } = true;

    /// <summary>
    /// The pace of streaming requests, counted from Teams' answer to the previous one. Teams allows one a second and
    /// advises buffering 1.5–2 s of tokens per update.
    /// </summary>
    public TimeSpan StreamingInterval { get; set; } = TimeSpan.FromSeconds(1.5);

    /// <summary>
    /// Introduce the bot with its help when it is added to a chat, team or group chat. Off by default: the manifest's
    /// prompt starters introduce it, and Teams asks bots with prompt starters not to send a welcome message as well.
    /// </summary>
    public bool WelcomeMessage { get; set; }

    /// <summary>The informative update that opens a stream (the progress bar's text; Teams allows 1,000 characters).</summary>
    public string StreamingInformativeText { get; set; } = "Searching the knowledge base…";

    /// <summary>
    /// Answers are Teams AI messages: the text with in-text citations (<c>[1]</c>) and the AI-generated label (a schema.org
    /// <c>Message</c> entity), and Teams' own feedback buttons instead of Helpful / Not helpful on the card. Off: the answer
    /// is all card, as before.
    /// </summary>
    public bool AiMessages { get; set; } = true;

    /// <summary>The longest informative update Teams accepts (characters).</summary>
    public const int MaxInformativeText = 1_000;

    /// <summary>
    /// The Bot Framework and Teams service hosts (public cloud, GCC, GCC High, DoD), as Microsoft documents
    /// them for <c>serviceUrl</c>.
    /// </summary>
    public static readonly IReadOnlyList<string> BotFrameworkServiceHosts =
    [
        "smba.trafficmanager.net",
        "*.botframework.com",
        "smba.infra.gcc.teams.microsoft.com",
        "smba.infra.gov.teams.microsoft.us",
        "smba.infra.dod.teams.microsoft.us",
    ];

    /// <summary><see cref="AllowedTenants"/>, or <see cref="TenantId"/> alone when the list is empty (a single-tenant bot).</summary>
    public IReadOnlyList<string> EffectiveAllowedTenants =>
        AllowedTenants.Count > 0 ? [.. AllowedTenants] : string.IsNullOrWhiteSpace(TenantId) ? [] : [TenantId];

    public IReadOnlyList<string> EffectiveServiceHosts => AllowedServiceHosts.Count > 0 ? [.. AllowedServiceHosts] : BotFrameworkServiceHosts;

    public bool Enabled => !string.IsNullOrWhiteSpace(AppId);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Enabled)
        {
            yield break;
        }

        foreach (var error in ValidateCredential())
        {
            yield return error;
        }

        if (!IsHttpUrl(OpenIdMetadataUrl))
        {
            yield return new ValidationResult($"'{OpenIdMetadataUrl}' is not an absolute http(s) URL.", [nameof(OpenIdMetadataUrl)]);
        }

        foreach (var (name, endpoint) in new[] { (nameof(TokenEndpoint), TokenEndpoint), (nameof(GraphTokenEndpoint), GraphTokenEndpoint) })
        {
            if (!string.IsNullOrWhiteSpace(endpoint) && !IsTokenEndpoint(endpoint))
            {
                yield return new ValidationResult($"'{endpoint}' is not an Entra ID token endpoint (https://HOST/TENANT/oauth2/v2.0/token).", [name]);
            }
        }

        if (StreamingInterval < TimeSpan.FromSeconds(1) || StreamingInterval > TimeSpan.FromSeconds(10))
        {
            yield return new ValidationResult($"must be from 1 to 10 seconds: Teams allows one streaming request a second (is {StreamingInterval}).", [nameof(StreamingInterval)]);
        }

        if (string.IsNullOrWhiteSpace(StreamingInformativeText) || StreamingInformativeText.Length > MaxInformativeText)
        {
            yield return new ValidationResult($"must be 1 to {MaxInformativeText} characters (Teams' limit for an informative update).", [nameof(StreamingInformativeText)]);
        }

        if (TenantRequestsPerMinute < 1)
        {
            yield return new ValidationResult($"must be at least 1 (is {TenantRequestsPerMinute}).", [nameof(TenantRequestsPerMinute)]);
        }

        if (!string.IsNullOrEmpty(TenantId) && !Guid.TryParse(TenantId, out _))
        {
            yield return new ValidationResult($"'{TenantId}' is not a tenant id (a GUID).", [nameof(TenantId)]);
        }
    }

    private IEnumerable<ValidationResult> ValidateCredential()
    {
        var secret = !string.IsNullOrWhiteSpace(AppPassword);
        var certificate = !string.IsNullOrWhiteSpace(CertificatePath);
        switch (EffectiveCredential)
        {
            case TeamsCredential.ClientSecret when !secret:
                yield return new ValidationResult(
                    "is required when Teams:AppId is set (the bot needs it to reply), unless Teams:CertificatePath is set or Teams:Credential is ManagedIdentity.",
                    [nameof(AppPassword)]);
                break;
            case TeamsCredential.Certificate when !certificate:
                yield return new ValidationResult("is required when Teams:Credential is Certificate.", [nameof(CertificatePath)]);
                break;
            case TeamsCredential.Certificate when BotCertificate.Problem(this) is { } problem:
                yield return new ValidationResult(problem, [nameof(CertificatePath)]);
                break;
            case TeamsCredential.ManagedIdentity or TeamsCredential.WorkloadIdentity when secret || certificate:
                yield return new ValidationResult(
                    $"is {Credential}, so Teams:AppPassword and Teams:CertificatePath must be empty (a secret left behind is still a secret to rotate).",
                    [nameof(Credential)]);
                break;
        }

        if (EffectiveCredential == TeamsCredential.Certificate && secret)
        {
            yield return new ValidationResult("and Teams:CertificatePath are both set; keep the one the bot uses.", [nameof(AppPassword)]);
        }
    }

    /// <summary>MSAL's authority is the token endpoint without <c>/oauth2/v2.0/token</c>; it must be https.</summary>
    internal static bool IsTokenEndpoint(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps
        && uri.AbsolutePath.EndsWith(TokenPath, StringComparison.Ordinal) && uri.AbsolutePath.Length > TokenPath.Length + 1;

    /// <summary>The MSAL authority of an Entra ID token endpoint: <c>https://HOST/TENANT/</c>.</summary>
    internal static string AuthorityOf(string tokenEndpoint)
    {
        var uri = new Uri(tokenEndpoint);
        return new Uri(uri, uri.AbsolutePath[..^TokenPath.Length] + "/").AbsoluteUri;
    }

    private const string TokenPath = "/oauth2/v2.0/token";

    private static bool IsHttpUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);
}

/// <summary>How the bot proves its identity to Entra ID for its outbound (Bot Connector and Graph) tokens.</summary>
public enum TeamsCredential
{
    /// <summary>The certificate when <c>Teams:CertificatePath</c> is set, else the client secret.</summary>
    Auto,

    /// <summary><c>Teams:AppPassword</c>.</summary>
    ClientSecret,

    /// <summary><c>Teams:CertificatePath</c>: a signed client assertion, no secret on the wire.</summary>
    Certificate,

    /// <summary>The user-assigned managed identity whose client id is <c>Teams:AppId</c> (an Azure Bot of type UserAssignedMSI).</summary>
    ManagedIdentity,

    /// <summary>
    /// Kubernetes workload identity: the service account token in <c>AZURE_FEDERATED_TOKEN_FILE</c> (set by the AKS
    /// workload identity webhook) is exchanged for the token of the app or identity <c>Teams:AppId</c> that trusts it.
    /// </summary>
    WorkloadIdentity,
}
