using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace SupportBot.IntegrationTests.Infrastructure;

/// <summary>
/// A local stand-in of Confluence Cloud's content search: <c>GET /wiki/rest/api/content/search</c> with the CQL the
/// connector writes (<c>space in (…) and type=page</c>, optionally <c>lastmodified &gt;= "yyyy/MM/dd HH:mm"</c>), pages in
/// storage format with version and space, <c>limit</c> and <c>_links.next</c>/<c>_links.base</c>, basic auth <c>{email}:{token}</c>.
/// </summary>
public sealed partial class ConfluenceStandIn : IAsyncDisposable
{
    public const string Email = "wiki@example.com";
    public const string Token = "cf-token-1";

    private readonly WebApplication _app;

    private ConfluenceStandIn(WebApplication app) => _app = app;

    public Uri BaseAddress { get; private set; } = null!;

    public ConcurrentDictionary<string, ConfluencePage> Pages { get; } = new();

    /// <summary>The CQL of every search.</summary>
    public ConcurrentQueue<string> Queries { get; } = new();

    public static async Task<ConfluenceStandIn> StartAsync()
    {
        var app = Loopback.StandInBuilder().Build();
        var standIn = new ConfluenceStandIn(app);
        var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Email}:{Token}"));
        app.Use(async (context, next) =>
        {
            if (context.Request.Headers.Authorization != expected)
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return;
            }

            await next(context);
        });
        app.MapGet("/wiki/rest/api/content/search", (HttpContext context) =>
        {
            var cql = context.Request.Query["cql"].ToString();
            standIn.Queries.Enqueue(cql);
            var spaces = SpaceList().Match(cql).Groups[1].Value.Split(',').Select(s => s.Trim().Trim('"')).ToHashSet(StringComparer.Ordinal);
            var since = Since().Match(cql) is { Success: true } m
                ? DateTimeOffset.ParseExact(m.Groups[1].Value, "yyyy/MM/dd HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal)
                : DateTimeOffset.MinValue;
            var limit = int.Parse(context.Request.Query["limit"]!, CultureInfo.InvariantCulture);
            var start = int.TryParse(context.Request.Query["start"], CultureInfo.InvariantCulture, out var s) ? s : 0;
            var matching = standIn.Pages.Values.Where(p => spaces.Contains(p.SpaceKey) && p.When >= since).OrderBy(p => p.When).ThenBy(p => p.Id, StringComparer.Ordinal).ToList();
            var page = matching.Skip(start).Take(limit).ToList();
            var links = new Dictionary<string, string> { ["base"] = $"{standIn.BaseAddress}wiki" };
            if (start + page.Count < matching.Count)
            {
                links["next"] = $"/rest/api/content/search?cql={Uri.EscapeDataString(cql)}&expand=body.storage,version,space&limit={limit}&start={start + page.Count}";
            }

            return Results.Json(new Dictionary<string, object>
            {
                ["results"] = page.Select(p => new Dictionary<string, object>
                {
                    ["id"] = p.Id,
                    ["type"] = "page",
                    ["status"] = "current",
                    ["title"] = p.Title,
                    ["space"] = new { key = p.SpaceKey, name = p.SpaceName },
                    ["version"] = new { number = 1, when = p.When.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture) },
                    ["body"] = new { storage = new { value = p.Storage, representation = "storage" } },
                    ["_links"] = new { webui = $"/spaces/{p.SpaceKey}/pages/{p.Id}" },
                }),
                ["start"] = start,
                ["limit"] = limit,
                ["size"] = page.Count,
                ["_links"] = links,
            });
        });
        await app.StartAsync();
        standIn.BaseAddress = Loopback.AddressOf(app);
        return standIn;
    }

    public void Put(string id, string title, string storage, DateTimeOffset when, string space = "OPS", string spaceName = "Payment Operations") =>
        Pages[id] = new ConfluencePage(id, title, storage, when, space, spaceName);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    [GeneratedRegex(@"space in \(([^)]*)\)")]
    private static partial Regex SpaceList();

    [GeneratedRegex("lastmodified >= \"([^\"]+)\"")]
    private static partial Regex Since();
}

public sealed record ConfluencePage(string Id, string Title, string Storage, DateTimeOffset When, string SpaceKey, string SpaceName);
