using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SupportBot.Core.Articles;
using SupportBot.Knowledge.Articles;
using SupportBot.Knowledge.Index;

namespace SupportBot.Knowledge.Shared;

/// <summary>
/// Publishes the review queue's approved articles (<see cref="IArticleDrafts"/>) into the index under source
/// <see cref="ArticleDraft.SourceName"/>: every <c>Knowledge:ApprovedArticles:SyncInterval</c>, newly approved and edited
/// ones are written, deleted ones removed. An approved article is cited like any other: its title, its product area,
/// the day it was approved. Drafts still in review are never searched.
/// </summary>
internal sealed class ApprovedArticlesIndexer(
    KnowledgeIndex index,
    IArticleDrafts drafts,
    IOptions<ApprovedArticlesOptions> options,
    TimeProvider time,
    ILogger<ApprovedArticlesIndexer> logger) : SharedSourceIndexer(index, time, logger)
{
    /// <summary>The prefix of an approved article's id in the index.</summary>
    public const string ArticlePrefix = "approved:";

    protected override string Source => ArticleDraft.SourceName;

    protected override bool Enabled => options.Value.Enabled;

    protected override TimeSpan Interval => options.Value.SyncInterval;

    protected override async Task<IReadOnlyList<(Article Article, string Fingerprint)>> ListAsync(CancellationToken cancellationToken) =>
        [.. (await drafts.ListAsync(cancellationToken))
            .Where(d => d.Status == DraftStatus.Approved)
            .Select(ToArticle)
            .Select(a => (a, Fingerprint(a.Title, a.Product, a.Updated, a.Body)))];

    internal static Article ToArticle(ArticleDraft draft) => new(
        ArticlePrefix + draft.Id,
        draft.Title,
        string.IsNullOrWhiteSpace(draft.Product) ? "general" : draft.Product,
        string.Empty,
        (draft.ReviewedAt ?? draft.CreatedAt).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ArticleDraft.SourceName,
        $"# {draft.Title}\n\n{draft.Body.Trim()}\n");
}
