using System.Text.RegularExpressions;
using SupportBot.Core.Articles;
using SupportBot.Core.Audit;
using SupportBot.Core.Redaction;
using SupportBot.Host.Web;

namespace SupportBot.Host.Endpoints;

/// <summary>The review queue as the page lists it.</summary>
public sealed record ArticleQueue(IReadOnlyList<ArticleDraft> Drafts);

/// <summary>An edit of a draft: its title, product area and body (Markdown).</summary>
public sealed record ArticleEdit(string? Title, string? Product, string? Body);

/// <summary>
/// The draft-article review queue at <c>/articles</c> (support-ops leads: <see cref="WebAccess.OpsPolicy"/>): drafts saved
/// from resolved escalations, edited (masked again on save), approved (then published into every replica's knowledge
/// index, <c>Knowledge:ApprovedArticles</c>, and offered as a Markdown file for the knowledge base's files) or deleted.
/// Approvals and deletions go to the audit trail.
/// </summary>
public static partial class ArticlesEndpoints
{
    public static IEndpointRouteBuilder MapArticleReview(this IEndpointRouteBuilder app)
    {
        var access = app.ServiceProvider.GetRequiredService<WebAccess>();
        if (!access.Dashboard)
        {
            return app;
        }

        app.MapGet("/articles", () => Pages.Serve("articles.html")).Protect(access, WebAccess.OpsPolicy);
        app.MapGet("/api/articles", async (IArticleDrafts drafts, CancellationToken ct) => Results.Ok(new ArticleQueue(await drafts.ListAsync(ct)))).Protect(access, WebAccess.OpsPolicy);
        app.MapGet("/api/articles/{id}/markdown", MarkdownAsync).Protect(access, WebAccess.OpsPolicy);
        app.MapPut("/api/articles/{id}", EditAsync).Protect(access, WebAccess.OpsPolicy).RequireAntiforgeryHeader(access);
        app.MapPost("/api/articles/{id}/approve", ApproveAsync).Protect(access, WebAccess.OpsPolicy).RequireAntiforgeryHeader(access);
        app.MapDelete("/api/articles/{id}", DeleteAsync).Protect(access, WebAccess.OpsPolicy).RequireAntiforgeryHeader(access);
        return app;
    }

    internal static async Task<IResult> MarkdownAsync(string id, IArticleDrafts drafts, CancellationToken cancellationToken) =>
        await drafts.GetAsync(id, cancellationToken) is { } draft
            ? Results.File(System.Text.Encoding.UTF8.GetBytes(draft.ToMarkdown()), "text/markdown; charset=utf-8", draft.FileName())
            : NotFound(id);

    internal static async Task<IResult> EditAsync(string id, ArticleEdit edit, IArticleDrafts drafts, CancellationToken cancellationToken)
    {
        if (await drafts.GetAsync(id, cancellationToken) is not { } draft)
        {
            return NotFound(id);
        }

        if (string.IsNullOrWhiteSpace(edit.Title) || edit.Title.Length > ArticleDraft.MaxTitle
            || string.IsNullOrWhiteSpace(edit.Body) || edit.Body.Length > ArticleDraft.MaxBody
            || (edit.Product is { } product && !ProductArea().IsMatch(product)))
        {
            return Results.BadRequest(new ApiError(
                $"title (1–{ArticleDraft.MaxTitle} characters) and body (1–{ArticleDraft.MaxBody}) are required; product is a product area id (letters, digits, '-')."));
        }

        // Typed text is masked like everything else the bot keeps.
        var edited = draft with
        {
            Title = SensitiveDataRedactor.Redact(edit.Title.Trim()),
            Product = edit.Product?.Trim() ?? draft.Product,
            Body = SensitiveDataRedactor.Redact(edit.Body.Trim()),
        };
        await drafts.SaveAsync(edited, cancellationToken);
        return Results.Ok(edited);
    }

    internal static async Task<IResult> ApproveAsync(string id, HttpContext context, IArticleDrafts drafts, IAuditTrail audit, TimeProvider time, CancellationToken cancellationToken)
    {
        if (await drafts.GetAsync(id, cancellationToken) is not { } draft)
        {
            return NotFound(id);
        }

        var user = WebUser.From(context.User);
        var approved = draft with { Status = DraftStatus.Approved, ReviewedBy = user?.Name ?? "local", ReviewedAt = time.GetUtcNow() };
        await drafts.SaveAsync(approved, cancellationToken);
        await RecordAsync(audit, time, user, "article.approve", id, cancellationToken);
        return Results.Ok(approved);
    }

    internal static async Task<IResult> DeleteAsync(string id, HttpContext context, IArticleDrafts drafts, IAuditTrail audit, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!await drafts.DeleteAsync(id, cancellationToken))
        {
            return NotFound(id);
        }

        await RecordAsync(audit, time, WebUser.From(context.User), "article.delete", id, cancellationToken);
        return Results.NoContent();
    }

    private static IResult NotFound(string id) => Results.NotFound(new ApiError($"No draft article '{id}'."));

    private static Task RecordAsync(IAuditTrail audit, TimeProvider time, WebUser? user, string action, string subject, CancellationToken cancellationToken) =>
        audit.RecordAsync(new AuditEntry(time.GetUtcNow(), action, "web", user?.Tenant ?? string.Empty, user?.Id ?? "local", user?.Name ?? "local", subject, "/articles", "done"), cancellationToken);

    [GeneratedRegex("^[A-Za-z0-9-]{1,40}$", RegexOptions.CultureInvariant)]
    private static partial Regex ProductArea();
}
