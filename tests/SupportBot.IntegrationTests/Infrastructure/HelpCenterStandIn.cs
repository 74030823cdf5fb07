using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace SupportBot.IntegrationTests.Infrastructure;

/// <summary>
/// A local stand-in of Zendesk Guide's Help Center API: the incremental article export (<c>start_time</c>, <c>end_time</c>,
/// <c>next_page</c>; articles changed after the start time, a few a page), categories and sections with cursor
/// pagination (<c>page[size]</c>, <c>links.next</c>, <c>meta.has_more</c>), article translations, basic auth
/// <c>{email}/token:{token}</c>, and a 429 with <c>Retry-After</c> on demand.
/// </summary>
public sealed class HelpCenterStandIn : IAsyncDisposable
{
    public const string Email = "kb@example.com";
    public const string Token = "hc-token-1";

    private readonly WebApplication _app;

    private HelpCenterStandIn(WebApplication app) => _app = app;

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Articles by id: what the help center holds now (an archived article is simply absent).</summary>
    public ConcurrentDictionary<long, HelpCenterArticle> Articles { get; } = new();

    /// <summary>Translations by article id.</summary>
    public ConcurrentDictionary<long, List<HelpCenterArticle>> Translations { get; } = new();

    /// <summary>Articles per page of the incremental export (Zendesk's is 1,000).</summary>
    public int PageSize { get; set; } = 2;

    /// <summary>The next this many export requests get 429 with <c>Retry-After: 1</c>.</summary>
    public int RateLimitNext { get; set; }

    /// <summary>Every request: path and query, and when it came (UTC).</summary>
    public ConcurrentQueue<(string Request, DateTimeOffset At)> Requests { get; } = new();

    public IEnumerable<string> ExportRequests => Requests.Select(r => r.Request).Where(r => r.Contains("/incremental/articles", StringComparison.Ordinal));

    public static async Task<HelpCenterStandIn> StartAsync()
    {
        var app = Loopback.StandInBuilder().Build();
        var standIn = new HelpCenterStandIn(app);
        var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Email}/token:{Token}"));
        app.Use(async (context, next) =>
        {
            standIn.Requests.Enqueue((context.Request.Path + context.Request.QueryString, DateTimeOffset.UtcNow));
            if (context.Request.Headers.Authorization != expected)
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return;
            }

            await next(context);
        });
        app.MapGet("/api/v2/help_center/incremental/articles", (HttpContext context) =>
        {
            if (standIn.RateLimitNext > 0)
            {
                standIn.RateLimitNext--;
                context.Response.Headers.RetryAfter = "1";
                return Results.StatusCode(StatusCodes.Status429TooManyRequests);
            }

            var start = long.Parse(context.Request.Query["start_time"]!, CultureInfo.InvariantCulture);
            var changed = standIn.Articles.Values.Where(a => a.UpdatedAt > start).OrderBy(a => a.UpdatedAt).ThenBy(a => a.Id).ToList();
            var page = changed.Take(standIn.PageSize).ToList();
            var end = page.Count == 0 ? start : page[^1].UpdatedAt;
            var more = changed.Count > page.Count;
            return Results.Json(new
            {
                articles = page.Select(a => a.Json()),
                count = page.Count,
                end_time = end,
                next_page = more ? $"{standIn.BaseAddress}api/v2/help_center/incremental/articles?start_time={end}" : null,
            });
        });
        app.MapGet("/api/v2/help_center/{locale}/categories", (HttpContext context) => standIn.Paged(context, "categories", [new { id = 1, name = "Disputes" }, new { id = 2, name = "Payouts" }]));
        app.MapGet("/api/v2/help_center/{locale}/sections", (HttpContext context) => standIn.Paged(context, "sections",
            [new { id = 10, name = "Chargebacks", category_id = 1 }, new { id = 11, name = "Evidence", category_id = 1 }, new { id = 20, name = "Schedules", category_id = 2 }]));
        app.MapGet("/api/v2/help_center/articles/{id}/translations", (long id) =>
            Results.Json(new { translations = standIn.Translations.GetValueOrDefault(id, []).Select(t => t.Json()), next_page = (string?)null }));
        await app.StartAsync();
        standIn.BaseAddress = Loopback.AddressOf(app);
        return standIn;
    }

    public void Put(long id, string title, string body, long section, long updatedAt, bool draft = false, string locale = "en-us") =>
        Articles[id] = new HelpCenterArticle(id, title, body, section, locale, updatedAt, draft, $"https://help.example/hc/{locale}/articles/{id}");

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private IResult Paged<T>(HttpContext context, string property, T[] items)
    {
        var size = int.Parse(context.Request.Query["page[size]"]!, CultureInfo.InvariantCulture);
        var after = int.TryParse(context.Request.Query["page[after]"], CultureInfo.InvariantCulture, out var a) ? a : 0;
        var page = items.Skip(after).Take(size).ToArray();
        var more = after + page.Length < items.Length;
        var next = more ? $"{BaseAddress.ToString().TrimEnd('/')}{context.Request.Path}?page[size]={size}&page[after]={after + page.Length}" : null;
        return Results.Json(new Dictionary<string, object?>
        {
            [property] = page,
            ["meta"] = new { has_more = more, after_cursor = more ? (after + page.Length).ToString(CultureInfo.InvariantCulture) : null },
            ["links"] = new { next },
        });
    }
}

public sealed record HelpCenterArticle(long Id, string Title, string Body, long SectionId, string Locale, long UpdatedAt, bool Draft, string HtmlUrl)
{
    public object Json() => new
    {
        id = Id,
        title = Title,
        body = Body,
        html_url = HtmlUrl,
        section_id = SectionId,
        locale = Locale,
        draft = Draft,
        updated_at = DateTimeOffset.FromUnixTimeSeconds(UpdatedAt).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
    };
}
