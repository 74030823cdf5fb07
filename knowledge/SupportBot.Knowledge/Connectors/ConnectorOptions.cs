namespace SupportBot.Knowledge.Connectors;

/// <summary>One remote knowledge source: <c>Knowledge:Connectors:NAME:…</c>.</summary>
public sealed class ConnectorOptions
{
    public const string Zendesk = "zendesk";
    public const string Confluence = "confluence";
    public const string Crawler = "crawler";

    /// <summary><c>zendesk</c> (Help Center), <c>confluence</c> (Confluence Cloud) or <c>crawler</c> (a public docs site).</summary>
    public string? Type { get; set; }

    /// <summary>Zendesk: <c>https://{subdomain}.zendesk.com</c>; Confluence: <c>https://{site}.atlassian.net</c>.</summary>
    public string? BaseUrl { get; set; }

    /// <summary>Zendesk and Confluence: the account's e-mail for API token auth.</summary>
    public string? Email { get; set; }

    /// <summary>Secret: Zendesk's or Atlassian's API token.</summary>
    public string? ApiToken { get; set; }

    /// <summary>Confluence: space keys to sync.</summary>
    public IList<string> Spaces { get; } = [];

    /// <summary>Zendesk: locales; the first names sections and categories, translations in the others are indexed too.</summary>
    public IList<string> Locales { get; } = [];

    /// <summary>Zendesk: whether the product area is the article's <c>category</c> (default) or <c>section</c>.</summary>
    public string ProductArea { get; set; } = "category";

    /// <summary>Crawler: the page the crawl starts from.</summary>
    public string? StartUrl { get; set; }

    /// <summary>Crawler: a sitemap (<c>urlset</c> or <c>sitemapindex</c>) listing the pages.</summary>
    public string? Sitemap { get; set; }

    /// <summary>Crawler: links followed this many steps from the start page (and sitemap pages).</summary>
    public int MaxDepth { get; set; } = 3;

    /// <summary>Crawler: pages read in one crawl at most.</summary>
    public int MaxPages { get; set; } = 500;

    /// <summary>Crawler: the pause between two requests (a robots.txt <c>Crawl-delay</c> that is longer wins).</summary>
    public TimeSpan Delay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Crawler: the user agent sent and matched against robots.txt groups.</summary>
    public string UserAgent { get; set; } = "SupportBot";

    /// <summary>How often the host syncs the source; empty: only on demand (<c>supportbot ingest --source</c>).</summary>
    public TimeSpan? Every { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How often a sync lists everything (Zendesk, Confluence) so deletions reach the index; in between, only changes are read.</summary>
    public TimeSpan FullSyncEvery { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Items asked for per API page.</summary>
    public int PageSize { get; set; } = 100;
}
