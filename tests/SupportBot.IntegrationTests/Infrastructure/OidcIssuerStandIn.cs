using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace SupportBot.IntegrationTests.Infrastructure;

/// <summary>A person the issuer signs in next: their subject, display name and roles (or groups).</summary>
public sealed record OidcUser(string Subject, string Name, params string[] Roles);

/// <summary>
/// A local OpenID Connect issuer speaking the real protocol over HTTP: discovery, JWKS (RS256), the
/// authorization endpoint (code flow, PKCE S256, query response mode; it signs in <see cref="NextUser"/>
/// without a login page) and the token endpoint (confidential client), whose id_token carries the nonce.
/// </summary>
public sealed class OidcIssuerStandIn : IAsyncDisposable
{
    public const string ClientId = "supportbot-web";
    public const string ClientSecret = "web-secret-0123456789";

    private readonly WebApplication _app;
    private readonly RsaSecurityKey _key = new(RSA.Create(2048)) { KeyId = "issuer-key-1" };
    private readonly ConcurrentDictionary<string, (string Nonce, string Challenge, string RedirectUri, OidcUser User)> _codes = new();

    private OidcIssuerStandIn(WebApplication app) => _app = app;

    public Uri BaseAddress { get; private set; } = null!;

    public string Issuer => BaseAddress.ToString().TrimEnd('/');

    /// <summary>Who the authorization endpoint signs in.</summary>
    public OidcUser NextUser { get; set; } = new("agent-1", "Ada Agent", "SupportBot.Agent");

    private int _tokenRequests;

    public int TokenRequests => Volatile.Read(ref _tokenRequests);

    /// <summary>The host settings that turn sign-in on against this issuer.</summary>
    public string[] HostSettings(params string[] more) =>
        [$"Auth:Authority={Issuer}", $"Auth:ClientId={ClientId}", $"Auth:ClientSecret={ClientSecret}", "Auth:RequireHttps=false", .. more];

    public static async Task<OidcIssuerStandIn> StartAsync()
    {
        var app = Loopback.StandInBuilder().Build();
        var standIn = new OidcIssuerStandIn(app);
        app.MapGet("/.well-known/openid-configuration", () => Results.Json(new JsonObject
        {
            ["issuer"] = standIn.Issuer,
            ["authorization_endpoint"] = $"{standIn.Issuer}/authorize",
            ["token_endpoint"] = $"{standIn.Issuer}/token",
            ["jwks_uri"] = $"{standIn.Issuer}/jwks",
            ["response_types_supported"] = new JsonArray("code"),
            ["subject_types_supported"] = new JsonArray("public"),
            ["id_token_signing_alg_values_supported"] = new JsonArray("RS256"),
            ["code_challenge_methods_supported"] = new JsonArray("S256"),
        }));
        app.MapGet("/jwks", () =>
        {
            var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(standIn._key);
            return Results.Json(new JsonObject
            {
                ["keys"] = new JsonArray(new JsonObject { ["kty"] = "RSA", ["use"] = "sig", ["alg"] = "RS256", ["kid"] = jwk.Kid, ["n"] = jwk.N, ["e"] = jwk.E }),
            });
        });
        app.MapGet("/authorize", (HttpRequest request) =>
        {
            var query = request.Query;
            if (query["client_id"] != ClientId || query["response_type"] != "code" || query["code_challenge_method"] != "S256")
            {
                return Results.BadRequest("unsupported request");
            }

            var code = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
            standIn._codes[code] = (query["nonce"].ToString(), query["code_challenge"].ToString(), query["redirect_uri"].ToString(), standIn.NextUser);
            return Results.Redirect($"{query["redirect_uri"]}?code={code}&state={Uri.EscapeDataString(query["state"].ToString())}");
        });
        app.MapPost("/token", async (HttpRequest request) =>
        {
            Interlocked.Increment(ref standIn._tokenRequests);
            var form = await request.ReadFormAsync();
            var basic = request.Headers.Authorization.ToString();
            var (clientId, secret) = basic.StartsWith("Basic ", StringComparison.Ordinal)
                ? Split(Encoding.UTF8.GetString(Convert.FromBase64String(basic[6..])))
                : (form["client_id"].ToString(), form["client_secret"].ToString());
            if (clientId != ClientId || secret != ClientSecret)
            {
                return Results.Json(new JsonObject { ["error"] = "invalid_client" }, statusCode: 401);
            }

            if (form["grant_type"] != "authorization_code" || !standIn._codes.TryRemove(form["code"].ToString(), out var grant)
                || grant.RedirectUri != form["redirect_uri"] || grant.Challenge != Challenge(form["code_verifier"].ToString()))
            {
                return Results.Json(new JsonObject { ["error"] = "invalid_grant" }, statusCode: 400);
            }

            var now = DateTime.UtcNow;
            var claims = new Dictionary<string, object>
            {
                ["sub"] = grant.User.Subject,
                ["oid"] = grant.User.Subject,
                ["name"] = grant.User.Name,
                ["nonce"] = grant.Nonce,
                ["roles"] = grant.User.Roles,
            };
            var idToken = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
            {
                Issuer = standIn.Issuer,
                Audience = ClientId,
                IssuedAt = now,
                NotBefore = now,
                Expires = now.AddHours(1),
                Claims = claims,
                SigningCredentials = new SigningCredentials(standIn._key, SecurityAlgorithms.RsaSha256),
            });
            return Results.Json(new JsonObject { ["id_token"] = idToken, ["access_token"] = "opaque", ["token_type"] = "Bearer", ["expires_in"] = 3600 });
        });
        await app.StartAsync();
        standIn.BaseAddress = Loopback.AddressOf(app);
        return standIn;
    }

    private static (string, string) Split(string pair)
    {
        var colon = pair.IndexOf(':', StringComparison.Ordinal);
        return (Uri.UnescapeDataString(pair[..colon]), Uri.UnescapeDataString(pair[(colon + 1)..]));
    }

    private static string Challenge(string verifier) => Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
