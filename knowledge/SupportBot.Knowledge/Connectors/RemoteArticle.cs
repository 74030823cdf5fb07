namespace SupportBot.Knowledge.Connectors;

/// <summary>An article as a connector read it from its source.</summary>
/// <param name="Key">Its id at the source (a Zendesk article id, a Confluence page id, a page's URL); stable across syncs.</param>
/// <param name="Body">Markdown text (headings kept as Markdown headings, so the chunker splits by them).</param>
/// <param name="Product">Product area (Zendesk category or section, Confluence space); <c>general</c> when none.</param>
/// <param name="Locale">The source's locale (<c>en-us</c>, <c>de</c>), when it has one.</param>
public sealed record RemoteArticle(string Key, string Title, string Url, DateTimeOffset? Updated, string Product, string? Locale, string Body);

/// <summary>What one page of a source's listing brought.</summary>
/// <param name="Articles">Articles to add or update (unchanged ones are skipped by content hash).</param>
/// <param name="Kept">Keys known to be unchanged without reading them (a sitemap's <c>lastmod</c>): they stay.</param>
/// <param name="Gone">Keys the source says are gone (a draft, an archived page): removed now.</param>
/// <param name="Resume">Where the listing goes on after this page: saved in the cursor, so an interrupted sync resumes here.</param>
/// <param name="HighWater">The latest change time this page showed; the next incremental sync starts from the highest.</param>
public sealed record SyncBatch(IReadOnlyList<RemoteArticle> Articles, IReadOnlyList<string> Kept, IReadOnlyList<string> Gone, string? Resume, DateTimeOffset? HighWater)
{
    /// <summary>The listing stopped short (a crawler's page limit): what it did not reach is not taken as deleted.</summary>
    public bool Truncated { get; init; }
}

/// <summary>What a connector is asked to read.</summary>
/// <param name="Full">List everything (deletions are found by absence); otherwise only what changed since <paramref name="Since"/>.</param>
/// <param name="Since">The high-water mark of the last completed sync; null on a full sync.</param>
/// <param name="Resume">Where an interrupted run stopped (<see cref="SyncBatch.Resume"/>); null to start at the beginning.</param>
/// <param name="Known">Keys of this source in the index now.</param>
/// <param name="LastCompleted">When the last completed sync started.</param>
public sealed record SyncRequest(bool Full, DateTimeOffset? Since, string? Resume, IReadOnlySet<string> Known, DateTimeOffset? LastCompleted);

/// <summary>A remote knowledge source: reads its articles page by page.</summary>
public interface IKnowledgeConnector
{
    /// <summary>True when every run lists everything (a crawl): there is no incremental listing.</summary>
    bool AlwaysFull { get; }

    IAsyncEnumerable<SyncBatch> ReadAsync(SyncRequest request, CancellationToken cancellationToken);
}

/// <summary>A source answered with an error the sync cannot get past (after retries); the message names the request, never a credential.</summary>
public sealed class ConnectorException(string message, int? status = null) : Exception(message)
{
    public int? Status { get; } = status;
}
