using System.Collections.Concurrent;
using System.Security.Cryptography;
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
public sealed record ConnectorRequest(string Method, string RawTarget, string Authorization, JsonObject Body, DateTimeOffset At = default);

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

    private BotFrameworkStandIn(WebApplication app, string baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    public string BaseUrl { get; }

    public string ServiceUrl => BaseUrl + "amer/";

    public string OpenIdMetadataUrl => BaseUrl + "v1/.well-known/openidconfiguration";

    public string TokenEndpoint => BaseUrl + "botframework.com/oauth2/v2.0/token";

    /// <summary>The key the channel signs with, endorsed for <c>msteams</c>.</summary>
    public RsaSecurityKey SigningKey { get; } = NewKey("channel-key-1");

    public int KeySetFetches => Volatile.Read(ref _keySetFetches);

    public int TokenRequests => Volatile.Read(ref _tokenRequests);

    public ConcurrentQueue<ConnectorRequest> ConnectorRequests { get; } = new();

    /// <summary>Entra ID groups per user object id, for Microsoft Graph's checkMemberGroups.</summary>
    public ConcurrentDictionary<string, string[]> GroupMembers { get; } = new(StringComparer.OrdinalIgnoreCase);

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
        var builder = Loopback.StandInBuilder();
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
        app.MapPost("/botframework.com/oauth2/v2.0/token", async (HttpRequest request) =>
        {
            var form = await request.ReadFormAsync();
            standIn!.TokenForms.Enqueue(form.ToDictionary(f => f.Key, f => f.Value.ToString()));
            var n = Interlocked.Increment(ref standIn._tokenRequests);
            return Results.Json(new JsonObject { ["token_type"] = "Bearer", ["expires_in"] = 3600, ["ext_expires_in"] = 3600, ["access_token"] = $"bot-token-{n}" });
        });
        app.MapPost("/graph/v1.0/users/{user}/checkMemberGroups", async (string user, HttpRequest request) =>
        {
            var body = (await JsonNode.ParseAsync(request.Body))!;
            standIn!.GraphChecks.Enqueue((user, request.Headers.Authorization.ToString()));
            var member = standIn.GroupMembers.TryGetValue(user, out var groups) ? groups : [];
            var asked = body["groupIds"]!.AsArray().Select(g => g!.GetValue<string>());
            return Results.Json(new JsonObject { ["value"] = new JsonArray([.. asked.Where(member.Contains).Select(g => (JsonNode)g)]) });
        });
        app.Map("/amer/{**rest}", (Func<HttpContext, Task<IResult>>)(context => standIn!.ConnectorAsync(context)));
        await app.StartAsync();
        var address = Loopback.AddressOf(app).ToString();
        standIn = new BotFrameworkStandIn(app, address.TrimEnd('/') + "/");
        standIn.PublishKey(standIn.SigningKey, "msteams");
        return standIn;
    }

    public void PublishKey(RsaSecurityKey key, params string[] endorsements)
    {
        lock (_keysLock)
        {
            _keys.Add((key, endorsements));
        }
    }

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
        ConnectorRequests.Enqueue(new ConnectorRequest(context.Request.Method, rawTarget, context.Request.Headers.Authorization.ToString(), body, DateTimeOffset.UtcNow));
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

        return rawTarget.EndsWith("/v3/conversations", StringComparison.Ordinal)
            ? Results.Json(new JsonObject { ["id"] = "19:new-thread@thread.tacv2;messageid=1760000000000", ["activityId"] = "1760000000000" })
            : Results.Json(new JsonObject { ["id"] = $"reply-{ConnectorRequests.Count}" });
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
