using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace SupportBot.Core.Articles;

/// <summary>Where a draft article stands in the review queue.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<DraftStatus>))]
public enum DraftStatus
{
    /// <summary>Waiting for a support-ops lead.</summary>
    Review,

    /// <summary>
    /// Approved: published into every replica's knowledge index (source <see cref="ArticleDraft.SourceName"/>) and
    /// cited like any article; its Markdown file is also offered for the knowledge base's files.
    /// </summary>
    Approved,
}

/// <summary>
/// A knowledge article drafted from a resolved escalation (masked), for a support-ops lead to edit and approve.
/// <see cref="Product"/> becomes the article's product area.
/// </summary>
public sealed record ArticleDraft(
    string Id,
    string Title,
    string Product,
    string Body,
    string Source,
    string CreatedBy,
    DateTimeOffset CreatedAt,
    DraftStatus Status = DraftStatus.Review,
    string? ReviewedBy = null,
    DateTimeOffset? ReviewedAt = null)
{
    public const int MaxTitle = 200;
    public const int MaxBody = 50_000;

    /// <summary>The <see cref="Answering.SearchHit.Source"/> of every approved article's passages in the knowledge index.</summary>
    public const string SourceName = "approved-articles";

    /// <summary>The article as a Markdown file in the knowledge base's format (front matter, then the body).</summary>
    public string ToMarkdown()
    {
        var text = new StringBuilder()
            .AppendLine("---")
            .Append("title: ").AppendLine(Yaml(Title))
            .Append("product: ").AppendLine(Yaml(Product))
            .Append("updated: ").AppendLine((ReviewedAt ?? CreatedAt).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))
            .AppendLine("---")
            .AppendLine()
            .Append("# ").AppendLine(Title)
            .AppendLine()
            .AppendLine(Body.Trim());
        return text.ToString();
    }

    /// <summary>A file name for the article: its title in lower case, words joined by dashes.</summary>
    public string FileName()
    {
        var slug = new string([.. Title.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-')]);
        while (slug.Contains("--", StringComparison.Ordinal))
        {
            slug = slug.Replace("--", "-", StringComparison.Ordinal);
        }

        slug = slug.Trim('-');
        return (slug.Length == 0 ? Id.ToLowerInvariant() : slug[..Math.Min(slug.Length, 80)].TrimEnd('-')) + ".md";
    }

    private static string Yaml(string value) => "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}

/// <summary>Settings of <c>Knowledge:ApprovedArticles</c>: approved draft articles published into the knowledge index.</summary>
public sealed class ApprovedArticlesOptions
{
    public const string Section = "Knowledge:ApprovedArticles";

    /// <summary>Publish approved drafts into the knowledge index; off: they are only offered as Markdown files.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often each replica brings newly approved (edited, deleted) articles into its knowledge index.</summary>
    [System.ComponentModel.DataAnnotations.Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan SyncInterval { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>The review queue of draft articles, shared by every replica.</summary>
public interface IArticleDrafts
{
    /// <summary>Adds <paramref name="draft"/> unless one with its id exists (one draft per escalation); false when it did.</summary>
    Task<bool> AddAsync(ArticleDraft draft, CancellationToken cancellationToken);

    Task<ArticleDraft?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>Every draft, newest first.</summary>
    Task<IReadOnlyList<ArticleDraft>> ListAsync(CancellationToken cancellationToken);

    Task SaveAsync(ArticleDraft draft, CancellationToken cancellationToken);

    Task<bool> DeleteAsync(string id, CancellationToken cancellationToken);
}

/// <summary>The embedded default: drafts in this process.</summary>
internal sealed class InMemoryArticleDrafts : IArticleDrafts
{
    private readonly ConcurrentDictionary<string, ArticleDraft> _drafts = new(StringComparer.OrdinalIgnoreCase);

    public Task<bool> AddAsync(ArticleDraft draft, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(draft);
        return Task.FromResult(_drafts.TryAdd(draft.Id, draft));
    }

    public Task<ArticleDraft?> GetAsync(string id, CancellationToken cancellationToken) => Task.FromResult(_drafts.GetValueOrDefault(id));

    public Task<IReadOnlyList<ArticleDraft>> ListAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ArticleDraft>>([.. _drafts.Values.OrderByDescending(d => d.CreatedAt)]);

    public Task SaveAsync(ArticleDraft draft, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(draft);
        _drafts[draft.Id] = draft;
        return Task.CompletedTask;
    }

    public Task<bool> DeleteAsync(string id, CancellationToken cancellationToken) => Task.FromResult(_drafts.TryRemove(id, out _));
}
