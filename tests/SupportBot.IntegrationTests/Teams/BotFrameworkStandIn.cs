using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using SupportBot.IntegrationTests.Infrastructure;

namespace SupportBot.IntegrationTests.Teams;

/// <summary>A request the stand-in Connector received, as sent on the wire.</summary>
public sealed record ConnectorRequest(string Method, string RawTarget, string Authorization, JsonObject Body, DateTimeOffset At = default)
{
    /// <summary>The activity id the stand-in answered with (a sent message's, a stream's), when it answered with one.</summary>
    public string? ResponseId { get; set; }

    /// <summary>The HTTP status the stand-in answered with.</summary>
    public int Status { get; set; }
}

/// <summary>
/// Bot Framework on loopback: the OpenID metadata and JWKS (keys with <c>endorsements</c>, generated
/// here), the token endpoint, and a Connector that records what the bot sends and can answer 429.
/// Tokens are minted here exactly as the Bot Framework channel service signs them.
/// </summary>
public sealed class BotFrameworkStandIn : IAsyncDisposable
{
    public const string AppId = "0b6fe6d1-fece-44f7-9a48-56465e2d5ab8";
    public const string AppPassword = "stand-in-secret";
    public const string BotId = "28:" + AppId;
    public const string Tenant = "50612dbb-0237-4969-b378-8d42590f9c00";
    public const string Issuer = "https://api.botframework.com";

    private readonly WebApplication _app;
    private readonly Lock _keysLock = new();
    private readonly List<(RsaSecurityKey Key, string[] Endorsements)> _keys = [];
    private int _keySetFetches;
    private int _tokenRequests;
    private int _throttleNext;
    private int _throttleUpdates;

    private BotFrameworkStandIn(WebApplication app, string baseUrl, string httpsBaseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
        HttpsBaseUrl = httpsBaseUrl;
    }

    public string BaseUrl { get; }

    /// <summary>The same stand-in over TLS: Entra ID's token endpoint is only ever https (MSAL refuses anything else).</summary>
    public string HttpsBaseUrl { get; }

    /// <summary>The bot registration's certificate (its public half is "uploaded" here, so assertions it signs are accepted).</summary>
    public X509Certificate2 ClientCertificate { get; } = NewClientCertificate();

    /// <summary>The service account token a Kubernetes workload identity presents (trusted by a federated credential).</summary>
    public const string FederatedToken = "eyJ.stand-in-service-account-token.sig";

    /// <summary>The App Service managed identity endpoint's header secret (<c>IDENTITY_HEADER</c>).</summary>
    public const string IdentityHeader = "stand-in-identity-header";

    /// <summary>The App Service managed identity endpoint (<c>IDENTITY_ENDPOINT</c>).</summary>
    public string IdentityEndpoint => BaseUrl + "msi/token";

    /// <summary>The <c>expires_in</c> of the tokens issued from now on.</summary>
    public int TokenLifetimeSeconds { get; set; } = 3600;

    /// <summary>Managed identity token requests: their query and identity header.</summary>
    public ConcurrentQueue<(IReadOnlyDictionary<string, string> Query, string Header)> IdentityRequests { get; } = new();

    public string ServiceUrl => BaseUrl + "amer/";

    public string OpenIdMetadataUrl => BaseUrl + "v1/.well-known/openidconfiguration";

    public string TokenEndpoint => HttpsBaseUrl + "botframework.com/oauth2/v2.0/token";

    /// <summary>A single-tenant bot's token endpoint: its own tenant's.</summary>
    public string TenantTokenEndpoint => HttpsBaseUrl + Tenant + "/oauth2/v2.0/token";

    /// <summary>The key the channel signs with, endorsed for <c>msteams</c>.</summary>
    public RsaSecurityKey SigningKey { get; } = NewKey("channel-key-1");

    public int KeySetFetches => Volatile.Read(ref _keySetFetches);

    public int TokenRequests => Volatile.Read(ref _tokenRequests);

    public ConcurrentQueue<ConnectorRequest> ConnectorRequests { get; } = new();

    /// <summary>Entra ID groups per user object id, for Microsoft Graph's checkMemberGroups.</summary>
    public ConcurrentDictionary<string, string[]> GroupMembers { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Display names per user object id, for Graph's <c>GET /users/{id}</c>; unknown ids get 404.</summary>
    public ConcurrentDictionary<string, string> UserNames { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Presence availability per user object id, for Graph's <c>GET /users/{id}/presence</c> (default Available).</summary>
    public ConcurrentDictionary<string, string> Availability { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Graph checkMemberGroups calls: the user and the Authorization header.</summary>
    public ConcurrentQueue<(string User, string Authorization)> GraphChecks { get; } = new();

    public ConcurrentQueue<IReadOnlyDictionary<string, string>> TokenForms { get; } = new();

    /// <summary>Settings for the bot host so it trusts and calls this stand-in.</summary>
    /// <summary>
    /// A host wired to this stand-in. Its service URL is plain http on loopback, which only Development accepts
    /// (as for the Bot Framework Emulator); tests of the production rules start a host with <c>environment=Production</c>.
    /// </summary>
    public string[] HostSettings(params string[] extra) =>
    [
        "environment=Development",
        $"Teams:AppId={AppId}",
        $"Teams:AppPassword={AppPassword}",
        $"Teams:OpenIdMetadataUrl={OpenIdMetadataUrl}",
        $"Teams:TokenEndpoint={TokenEndpoint}",
        $"Teams:GraphTokenEndpoint={TokenEndpoint}",
        $"Teams:GraphBaseUrl={BaseUrl}graph/",
        .. Slack.SlackRequests.SampleData,
        .. extra,
    ];

    public static RsaSecurityKey NewKey(string kid) => new(RSA.Create(2048)) { KeyId = kid };

    public static async Task<BotFrameworkStandIn> StartAsync()
    {
        var builder = Loopback.StandInBuilder(https: true);
        var app = builder.Build();
        BotFrameworkStandIn? standIn = null;
        app.MapGet("/v1/.well-known/openidconfiguration", () => Results.Json(new JsonObject
        {
            ["issuer"] = Issuer,
            ["authorization_endpoint"] = "https://invalid.botframework.com",
            ["jwks_uri"] = standIn!.BaseUrl + "v1/.well-known/keys",
            ["id_token_signing_alg_values_supported"] = new JsonArray("RS256"),
            ["token_endpoint_auth_methods_supported"] = new JsonArray("private_key_jwt"),
        }));
        app.MapGet("/v1/.well-known/keys", () => standIn!.KeySet());
        app.MapPost("/{tenant}/oauth2/v2.0/token", async (string tenant, HttpRequest request) =>
        {
            var form = (await request.ReadFormAsync()).ToDictionary(f => f.Key, f => f.Value.ToString());
            form["tenant"] = tenant;
            standIn!.TokenForms.Enqueue(form);
            if (!request.IsHttps || !await standIn.AcceptsAsync(form, $"{standIn.HttpsBaseUrl}{tenant}/oauth2/v2.0/token"))
            {
                return Results.Json(new JsonObject { ["error"] = "invalid_client", ["error_description"] = "AADSTS7000215: Invalid client secret provided." }, statusCode: 401);
            }

            var n = Interlocked.Increment(ref standIn._tokenRequests);
            var lifetime = standIn.TokenLifetimeSeconds;
            return Results.Json(new JsonObject { ["token_type"] = "Bearer", ["expires_in"] = lifetime, ["ext_expires_in"] = lifetime, ["access_token"] = $"bot-token-{n}" });
        });
        app.MapGet("/msi/token", (HttpRequest request) =>
        {
            var query = request.Query.ToDictionary(q => q.Key, q => q.Value.ToString());
            var header = request.Headers["X-IDENTITY-HEADER"].ToString();
            standIn!.IdentityRequests.Enqueue((query, header));
            if (header != IdentityHeader || query.GetValueOrDefault("client_id") != AppId)
            {
                return Results.Json(new JsonObject { ["error"] = "invalid_request" }, statusCode: 400);
            }

            var n = Interlocked.Increment(ref standIn._tokenRequests);
            return Results.Json(new JsonObject
            {
                ["access_token"] = $"mi-token-{n}",
                ["expires_on"] = DateTimeOffset.UtcNow.AddSeconds(standIn.TokenLifetimeSeconds).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["resource"] = query.GetValueOrDefault("resource"),
                ["token_type"] = "Bearer",
                ["client_id"] = AppId,
            });
        });
        app.MapPost("/graph/v1.0/users/{user}/checkMemberGroups", async (string user, HttpRequest request) =>
        {
            var body = (await JsonNode.ParseAsync(request.Body))!;
            standIn!.GraphChecks.Enqueue((user, request.Headers.Authorization.ToString()));
            var member = standIn.GroupMembers.TryGetValue(user, out var groups) ? groups : [];
            var asked = body["groupIds"]!.AsArray().Select(g => g!.GetValue<string>());
            return Results.Json(new JsonObject { ["value"] = new JsonArray([.. asked.Where(member.Contains).Select(g => (JsonNode)g)]) });
        });
        app.MapGet("/graph/v1.0/users/{user}/presence", (string user, HttpRequest request) =>
            request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.Ordinal)
                ? Results.Json(new JsonObject
                {
                    ["id"] = user,
                    ["availability"] = standIn!.Availability.GetValueOrDefault(user, "Available"),
                    ["activity"] = standIn.Availability.GetValueOrDefault(user, "Available"),
                })
                : Results.Unauthorized());
        app.MapGet("/graph/v1.0/users/{user}", (string user, HttpRequest request) =>
            !request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.Ordinal) ? Results.Unauthorized()
            : request.Query["$select"] != "displayName" ? Results.BadRequest()
            : standIn!.UserNames.TryGetValue(user, out var name) ? Results.Json(new JsonObject { ["id"] = user, ["displayName"] = name })
            : Results.Json(new JsonObject { ["error"] = new JsonObject { ["code"] = "Request_ResourceNotFound" } }, statusCode: 404));
        app.Map("/amer/{**rest}", (Func<HttpContext, Task<IResult>>)(context => standIn!.ConnectorAsync(context)));
        await app.StartAsync();
        var address = Loopback.AddressOf(app).ToString();
        var httpsAddress = Loopback.HttpsAddressOf(app).ToString();
        standIn = new BotFrameworkStandIn(app, address.TrimEnd('/') + "/", httpsAddress.TrimEnd('/') + "/");
        standIn.PublishKey(standIn.SigningKey, "msteams");
        return standIn;
    }

    /// <summary>
    /// Entra ID's check of a client-credentials request: the registration's secret, or a client assertion (RFC 7523)
    /// signed by its certificate, issued by and for the app, for this token endpoint, and current.
    /// </summary>
    private async Task<bool> AcceptsAsync(Dictionary<string, string> form, string tokenEndpoint)
    {
        if (form.GetValueOrDefault("grant_type") != "client_credentials" || form.GetValueOrDefault("client_id") != AppId)
        {
            return false;
        }

        if (form.TryGetValue("client_secret", out var secret))
        {
            return secret == AppPassword;
        }

        if (form.GetValueOrDefault("client_assertion_type") != "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
            || !form.TryGetValue("client_assertion", out var assertion))
        {
            return false;
        }

        if (assertion == FederatedToken)
        {
            return true; // a workload identity's service account token, trusted by the app's federated credential
        }

        var result = await new JsonWebTokenHandler().ValidateTokenAsync(assertion, new TokenValidationParameters
        {
            ValidIssuer = AppId,
            ValidAudience = tokenEndpoint,
            IssuerSigningKey = new X509SecurityKey(ClientCertificate),
            ValidateLifetime = true,
        });
        return result.IsValid && result.ClaimsIdentity.FindFirst("sub")?.Value == AppId;
    }

    private static X509Certificate2 NewClientCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=supportbot-stand-in", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7));
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), password: null);
    }

    public void PublishKey(RsaSecurityKey key, params string[] endorsements)
    {
        lock (_keysLock)
        {
            _keys.Add((key, endorsements));
        }
    }

    /// <summary>The clock the Connector's requests are recorded by (a test's fake clock, when the host runs on it).</summary>
    public TimeProvider Clock { get; set; } = TimeProvider.System;

    /// <summary>
    /// Teams' refusal of a streaming request (any activity with a <c>streaminfo</c> entity): when it returns an error
    /// message, the request is answered 403 <c>ContentStreamNotAllowed</c> with it, as Teams does.
    /// </summary>
    public Func<JsonObject, string?>? RefuseStream { get; set; }

    /// <summary>The stream ids the Connector gave out (the id of each stream's first request), in order.</summary>
    public ConcurrentQueue<string> StreamIds { get; } = new();

    private int _throttleStreamUpdates;
    private int _ids;
    private int _streamRetryAfter = 1;

    /// <summary>The next <paramref name="count"/> streaming updates (<c>streamType: streaming</c>) answer 429 with <c>Retry-After: <paramref name="retryAfterSeconds"/></c>.</summary>
    public void ThrottleStreamUpdates(int count, int retryAfterSeconds = 1)
    {
        Volatile.Write(ref _streamRetryAfter, retryAfterSeconds);
        Volatile.Write(ref _throttleStreamUpdates, count);
    }

    /// <summary>The <c>streaminfo</c> entity of an activity the bot sent, or null.</summary>
    public static JsonObject? StreamInfo(JsonObject body) =>
        body["entities"] is JsonArray entities ? entities.OfType<JsonObject>().FirstOrDefault(e => e["type"]?.GetValue<string>() == "streaminfo") : null;

    /// <summary>The next <paramref name="count"/> Connector calls answer 429 with <c>Retry-After: 1</c>.</summary>
    public void ThrottleNext(int count) => Volatile.Write(ref _throttleNext, count);

    /// <summary>The next <paramref name="count"/> activity updates (PUT) answer 429 with <c>Retry-After: 1</c>.</summary>
    public void ThrottleUpdates(int count) => Volatile.Write(ref _throttleUpdates, count);

    /// <summary>A channel token as Bot Framework issues it; <paramref name="adjust"/> breaks one thing for a refusal test.</summary>
    public string MintToken(SecurityKey? key = null, Action<SecurityTokenDescriptor>? adjust = null)
    {
        var now = DateTime.UtcNow;
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = AppId,
            IssuedAt = now.AddMinutes(-1),
            NotBefore = now.AddMinutes(-1),
            Expires = now.AddHours(1),
            Claims = new Dictionary<string, object> { ["serviceurl"] = ServiceUrl },
            SigningCredentials = new SigningCredentials(key ?? SigningKey, SecurityAlgorithms.RsaSha256),
        };
        adjust?.Invoke(descriptor);
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
    }

    /// <summary>An unsigned token (<c>alg: none</c>) that is otherwise perfect.</summary>
    public string MintUnsignedToken()
    {
        var now = DateTimeOffset.UtcNow;
        var header = new JsonObject { ["alg"] = "none", ["typ"] = "JWT", ["kid"] = SigningKey.KeyId };
        var payload = new JsonObject
        {
            ["iss"] = Issuer, ["aud"] = AppId, ["serviceurl"] = ServiceUrl,
            ["nbf"] = now.AddMinutes(-1).ToUnixTimeSeconds(), ["exp"] = now.AddHours(1).ToUnixTimeSeconds(),
        };
        return $"{Base64UrlEncoder.Encode(header.ToJsonString())}.{Base64UrlEncoder.Encode(payload.ToJsonString())}.";
    }

    private IResult KeySet()
    {
        Interlocked.Increment(ref _keySetFetches);
        var keys = new JsonArray();
        lock (_keysLock)
        {
            foreach (var (key, endorsements) in _keys)
            {
                var parameters = key.Rsa.ExportParameters(false);
                keys.Add(new JsonObject
                {
                    ["kty"] = "RSA",
                    ["use"] = "sig",
                    ["kid"] = key.KeyId,
                    ["n"] = Base64UrlEncoder.Encode(parameters.Modulus),
                    ["e"] = Base64UrlEncoder.Encode(parameters.Exponent),
                    ["endorsements"] = new JsonArray([.. endorsements.Select(e => (JsonNode)e)]),
                });
            }
        }

        return Results.Json(new JsonObject { ["keys"] = keys });
    }

    private async Task<IResult> ConnectorAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var text = await reader.ReadToEndAsync();
        var body = text.Length > 0 ? JsonNode.Parse(text)!.AsObject() : [];
        var rawTarget = context.Features.Get<IHttpRequestFeature>()!.RawTarget;
        var request = new ConnectorRequest(context.Request.Method, rawTarget, context.Request.Headers.Authorization.ToString(), body, Clock.GetUtcNow());
        var result = Answer(context, request);
        request.Status = result is IStatusCodeHttpResult { StatusCode: { } status } ? status : StatusCodes.Status200OK;
        ConnectorRequests.Enqueue(request);
        return result;
    }

    private IResult Answer(HttpContext context, ConnectorRequest request)
    {
        var (rawTarget, body) = (request.RawTarget, request.Body);
        if (rawTarget.Contains("too-big", StringComparison.Ordinal))
        {
            return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
        }

        if (Interlocked.Decrement(ref _throttleNext) >= 0
            || (HttpMethods.IsPut(context.Request.Method) && Interlocked.Decrement(ref _throttleUpdates) >= 0))
        {
            context.Response.Headers.RetryAfter = "1";
            return Results.StatusCode(StatusCodes.Status429TooManyRequests);
        }

        Interlocked.Exchange(ref _throttleNext, 0);
        if (Volatile.Read(ref _throttleUpdates) < 0)
        {
            Interlocked.Exchange(ref _throttleUpdates, 0);
        }

        if (StreamInfo(body) is { } stream)
        {
            return StreamAnswer(context, request, stream);
        }

        if (rawTarget.EndsWith("/v3/conversations", StringComparison.Ordinal))
        {
            return Results.Json(new JsonObject { ["id"] = "19:new-thread@thread.tacv2;messageid=1760000000000", ["activityId"] = "1760000000000" });
        }

        request.ResponseId = $"reply-{Interlocked.Increment(ref _ids)}";
        return Results.Json(new JsonObject { ["id"] = request.ResponseId });
    }

    /// <summary>
    /// Teams' answers to streaming requests (learn.microsoft.com/microsoftteams/platform/bots/streaming-ux, "Response codes"):
    /// 201 with the stream id for the first, 202 <c>{}</c> for the rest; a refusal 403 <c>ContentStreamNotAllowed</c>.
    /// </summary>
    private IResult StreamAnswer(HttpContext context, ConnectorRequest request, JsonObject stream)
    {
        var body = request.Body;
        if (RefuseStream?.Invoke(body) is { } refusal)
        {
            return Results.Json(new JsonObject { ["error"] = new JsonObject { ["code"] = "ContentStreamNotAllowed", ["message"] = refusal } }, statusCode: StatusCodes.Status403Forbidden);
        }

        if (stream["streamType"]?.GetValue<string>() == "streaming" && Interlocked.Decrement(ref _throttleStreamUpdates) >= 0)
        {
            context.Response.Headers.RetryAfter = Volatile.Read(ref _streamRetryAfter).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Results.StatusCode(StatusCodes.Status429TooManyRequests);
        }

        if (Volatile.Read(ref _throttleStreamUpdates) < 0)
        {
            Interlocked.Exchange(ref _throttleStreamUpdates, 0);
        }

        if (stream["streamId"] is null)
        {
            var id = $"stream-{Interlocked.Increment(ref _ids)}";
            request.ResponseId = id;
            StreamIds.Enqueue(id);
            return Results.Json(new JsonObject { ["id"] = id }, statusCode: StatusCodes.Status201Created);
        }

        return Results.Json(new JsonObject(), statusCode: StatusCodes.Status202Accepted);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
