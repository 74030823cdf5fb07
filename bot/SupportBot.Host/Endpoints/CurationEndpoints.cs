using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using SupportBot.Core.Curation;
using SupportBot.Host.Web;
using SupportBot.Knowledge;
using SupportBot.Knowledge.Articles;
using SupportBot.Knowledge.Index;

namespace SupportBot.Host.Endpoints;

/// <summary>An article as the dashboard's curation list shows it.</summary>
/// <param name="State"><c>normal</c>, <c>boosted</c> or <c>hidden</c>.</param>
/// <param name="By">Who curated it (none for a normal article).</param>
public sealed record CuratedArticle(
    string Id, string Title, string Product, string Url, string Source, DateOnly? Updated, bool Stale, string State, string? By, DateTimeOffset? At);

/// <summary>The articles that match a filter (at most a page of them) and how many there are.</summary>
public sealed record ArticleList(IReadOnlyList<CuratedArticle> Articles, int Matching, int Total);

/// <summary>Sets an article's curation: <c>hidden</c>, <c>boosted</c> or <c>normal</c> (a reset).</summary>
public sealed record CurationRequest(string? ArticleId, string? State);

/// <summary>
/// Source curation on the dashboard: ops leads list the knowledge base's articles (with their state and
/// the stale flag) and hide, boost or reset one. Ops leads only, like the rest of the dashboard; changes
/// carry the antiforgery header and go to the audit trail.
/// </summary>
public static class CurationEndpoints
{
    private const int PageSize = 200;
    private const int MaxBodyBytes = 4 * 1024;

    internal static IEndpointRouteBuilder MapCuration(this IEndpointRouteBuilder app, WebAccess access)
    {
        // Ops leads only (WebAccess.OpsPolicy); open only in the local default without sign-in.
        app.MapGet("/api/dashboard/articles", ListAsync).Protect(access, WebAccess.OpsPolicy);

        // Ops leads only, with the antiforgery header: it changes what every answer may cite.
        app.MapPost("/api/dashboard/articles/curation", SetAsync)
            .WithMetadata(new RequestSizeLimitAttribute(MaxBodyBytes))
            .Protect(access, WebAccess.OpsPolicy)
            .RequireAntiforgeryHeader(access);
        return app;
    }

    /// <summary>
    /// Articles whose title, id, source or product contains <paramref name="filter"/> (any case) and whose state
    /// is <paramref name="state"/> (<c>normal</c>, <c>boosted</c>, <c>hidden</c>, <c>stale</c>), by title.
    /// </summary>
    internal static async Task<IResult> ListAsync(
        string? filter,
        string? state,
        ArticleCatalog catalog,
        CurationService curation,
        IOptions<KnowledgeOptions> knowledge,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var articles = await catalog.ListAsync(cancellationToken);
        var curated = await curation.CurrentAsync(cancellationToken);
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var rows = articles.Select(a => ToRow(a, curated.GetValueOrDefault(a.Id), knowledge.Value.StaleAfter, today));
        if (!string.IsNullOrWhiteSpace(filter))
        {
            var text = filter.Trim();
            rows = rows.Where(r => Contains(r.Title, text) || Contains(r.Id, text) || Contains(r.Source, text) || Contains(r.Product, text));
        }

        if (!string.IsNullOrWhiteSpace(state))
        {
            var wanted = state.Trim().ToLowerInvariant();
            rows = rows.Where(r => wanted == "stale" ? r.Stale : r.State == wanted);
        }

        var matching = rows.ToList();
        return Results.Ok(new ArticleList([.. matching.Take(PageSize)], matching.Count, articles.Count));
    }

    internal static async Task<IResult> SetAsync(
        CurationRequest request,
        HttpContext context,
        ArticleCatalog catalog,
        CurationService curation,
        IOptions<KnowledgeOptions> knowledge,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (!TryParseState(request.State, out var state))
        {
            return Results.BadRequest(new ApiError("state must be hidden, boosted or normal."));
        }

        var articles = await catalog.ListAsync(cancellationToken);
        var article = articles.FirstOrDefault(a => a.Id == request.ArticleId);
        var curated = await curation.CurrentAsync(cancellationToken);
        if (string.IsNullOrWhiteSpace(request.ArticleId) || (article is null && !(state == CurationState.Normal && curated.ContainsKey(request.ArticleId))))
        {
            return Results.NotFound(new ApiError("No article in the knowledge index has that id."));
        }

        await curation.SetAsync(request.ArticleId, state, Actor(context), cancellationToken);
        var entry = (await curation.CurrentAsync(cancellationToken)).GetValueOrDefault(request.ArticleId);
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var row = article is null
            ? new CuratedArticle(request.ArticleId, request.ArticleId, string.Empty, string.Empty, string.Empty, null, false, Name(CurationState.Normal), null, null)
            : ToRow(article, entry, knowledge.Value.StaleAfter, today);
        return Results.Ok(row);
    }

    /// <summary>The signed-in ops lead; in the open local default (no sign-in) the machine's user.</summary>
    private static CurationActor Actor(HttpContext context) =>
        WebUser.From(context.User) is { } user
            ? new CurationActor("web", user.Tenant, user.Id, user.Name, "dashboard")
            : new CurationActor("web", null, "local", "local user", "dashboard");

    private static CuratedArticle ToRow(IndexedArticle article, ArticleCuration? curation, TimeSpan? staleAfter, DateOnly today) =>
        new(
            article.Id,
            article.Title,
            article.Product,
            article.Url,
            article.Source,
            article.Updated,
            ArticleDates.IsStale(article.Updated, staleAfter, today),
            Name(curation?.State ?? CurationState.Normal),
            curation?.By,
            curation?.At);

    internal static bool TryParseState(string? value, out CurationState state)
    {
        CurationState? parsed = value?.Trim().ToLowerInvariant() switch
        {
            "hidden" => CurationState.Hidden,
            "boosted" => CurationState.Boosted,
            "normal" => CurationState.Normal,
            _ => null,
        };
        state = parsed ?? CurationState.Normal;
        return parsed is not null;
    }

    private static string Name(CurationState state) => state switch
    {
        CurationState.Hidden => "hidden",
        CurationState.Boosted => "boosted",
        _ => "normal",
    };

    private static bool Contains(string value, string part) => value.Contains(part, StringComparison.OrdinalIgnoreCase);
}
