using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Xml;
using System.Xml.Linq;
using AngleSharp.Html.Parser;
using SupportBot.Knowledge.Articles;

namespace SupportBot.Knowledge.Connectors;

/// <summary>
/// A public documentation site, read like a polite crawler: from a sitemap (<c>urlset</c>, or a <c>sitemapindex</c>
/// of them) and/or a start page, following links on the same host (scheme, host and port) up to <c>MaxDepth</c> steps
/// and <c>MaxPages</c> pages, one request at a time with <c>Delay</c> between them (longer when robots.txt asks), never
/// to a path robots.txt disallows for our user agent. Every crawl lists the whole site, so a page no longer reachable
/// (or now disallowed, or answering 404) leaves the index; a sitemap page whose <c>lastmod</c> is older than the last
/// completed crawl and that is indexed is kept without being fetched again. Pages marked <c>noindex</c> are not indexed.
/// The crawl's frontier is the resume point, so an interrupted crawl goes on where it stopped.
/// </summary>
internal sealed class DocsCrawler(ConnectorOptions options, ConnectorHttp http, ISyncObserver observer) : IKnowledgeConnector
{
    private const int PagesPerBatch = 10;
    private const int MaxSitemaps = 20;
    private static readonly HtmlParser Parser = new();

    private readonly Uri _origin = new(string.IsNullOrWhiteSpace(options.StartUrl) ? options.Sitemap! : options.StartUrl);

    public bool AlwaysFull => true;

    public async IAsyncEnumerable<SyncBatch> ReadAsync(SyncRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var robots = await RobotsAsync(cancellationToken);
        var delay = robots.CrawlDelay is { } asked && asked > options.Delay ? asked : options.Delay;
        var state = request.Resume is { Length: > 0 } resume ? JsonSerializer.Deserialize<CrawlState>(resume) ?? new CrawlState() : null;
        if (state is null)
        {
            state = new CrawlState();
            if (options.Sitemap is { Length: > 0 } sitemap)
            {
                await ReadSitemapAsync(new Uri(sitemap), state, 0, cancellationToken);
            }

            if (options.StartUrl is { Length: > 0 } start)
            {
                Enqueue(state, new Uri(start), 0, lastModified: null);
            }
        }

        var articles = new List<RemoteArticle>();
        var kept = new List<string>();
        var first = true;
        while (state.Frontier.Count > 0 && state.Pages < options.MaxPages)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var next = state.Frontier[0];
            state.Frontier.RemoveAt(0);
            var uri = new Uri(next.Url);
            if (!robots.IsAllowed(uri.PathAndQuery))
            {
                observer.Problem(next.Url, "disallowed by robots.txt: not read");
                continue;
            }

            if (next.LastModified is { } modified && request.LastCompleted is { } last && modified < last && request.Known.Contains(next.Url))
            {
                kept.Add(next.Url);
                continue;
            }

            if (!first)
            {
                await http.WaitAsync(delay, "crawl delay", cancellationToken);
            }

            first = false;
            state.Pages++;
            if (await ReadPageAsync(uri, next.Depth, state, cancellationToken) is { } article)
            {
                articles.Add(article);
            }

            if (articles.Count + kept.Count >= PagesPerBatch)
            {
                yield return new SyncBatch(articles, kept, [], JsonSerializer.Serialize(state), null);
                articles = [];
                kept = [];
            }
        }

        if (state.Frontier.Count > 0)
        {
            observer.Problem(_origin.GetLeftPart(UriPartial.Authority), $"stopped at MaxPages ({options.MaxPages}); {state.Frontier.Count} pages not read, none removed");
        }

        yield return new SyncBatch(articles, kept, [], null, null) { Truncated = state.Frontier.Count > 0 };
    }

    private async Task<RemoteArticle?> ReadPageAsync(Uri uri, int depth, CrawlState state, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(uri, cancellationToken, missingIsFine: true, accept: "text/html,application/xhtml+xml");
        var final = response.RequestMessage?.RequestUri ?? uri;
        if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Gone || !SameSite(final))
        {
            return null;
        }

        var type = response.Content.Headers.ContentType?.MediaType;
        if (type is not null && type != "text/html" && type != "application/xhtml+xml")
        {
            return null;
        }

        var html = await response.Content.ReadAsStringAsync(cancellationToken);
        using var document = await Parser.ParseDocumentAsync(html, cancellationToken);
        var robots = document.QuerySelector("meta[name=robots]")?.GetAttribute("content")?.ToLowerInvariant() ?? string.Empty;
        if (depth < options.MaxDepth && !robots.Contains("nofollow", StringComparison.Ordinal))
        {
            foreach (var link in document.QuerySelectorAll("a[href]"))
            {
                if (Uri.TryCreate(final, link.GetAttribute("href"), out var target))
                {
                    Enqueue(state, target, depth + 1, lastModified: null);
                }
            }
        }

        if (robots.Contains("noindex", StringComparison.Ordinal))
        {
            return null;
        }

        var key = Key(final);
        state.Visited.Add(key);
        var read = HtmlArticleReader.Read(key, key, html);
        if (string.IsNullOrWhiteSpace(read.Body))
        {
            return null;
        }

        var updated = ArticleDates.Parse(read.Updated) is { } date ? new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero)
            : response.Content.Headers.LastModified;
        return new RemoteArticle(key, read.Title, key, updated, read.Product, document.DocumentElement.GetAttribute("lang")?.ToLowerInvariant(), read.Body);
    }

    private async Task<RobotsTxt> RobotsAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.GetAsync(new Uri(_origin, "/robots.txt"), cancellationToken, missingIsFine: true, accept: "text/plain");
            return response.IsSuccessStatusCode
                ? RobotsTxt.Parse(await response.Content.ReadAsStringAsync(cancellationToken), options.UserAgent)
                : RobotsTxt.AllowAll;
        }
        catch (ConnectorException ex) when (ex.Status is >= 400 and < 500)
        {
            return RobotsTxt.AllowAll; // "unavailable" (4xx): no rules
        }
        catch (ConnectorException)
        {
            return RobotsTxt.DisallowAll; // "unreachable" (5xx, network): assume a complete disallow
        }
    }

    private async Task ReadSitemapAsync(Uri uri, CrawlState state, int nesting, CancellationToken cancellationToken)
    {
        if (nesting > 1 || state.Sitemaps++ >= MaxSitemaps)
        {
            return;
        }

        XDocument xml;
        try
        {
            var text = await http.GetStringAsync(uri, cancellationToken);
            xml = XDocument.Parse(text);
        }
        catch (XmlException)
        {
            observer.Problem(uri.ToString(), "not a sitemap (XML)");
            return;
        }

        foreach (var entry in xml.Root?.Elements() ?? [])
        {
            var loc = entry.Elements().FirstOrDefault(e => e.Name.LocalName == "loc")?.Value.Trim();
            if (loc is null || !Uri.TryCreate(loc, UriKind.Absolute, out var target))
            {
                continue;
            }

            if (entry.Name.LocalName == "sitemap")
            {
                await ReadSitemapAsync(target, state, nesting + 1, cancellationToken);
            }
            else if (entry.Name.LocalName == "url")
            {
                var lastmod = entry.Elements().FirstOrDefault(e => e.Name.LocalName == "lastmod")?.Value.Trim();
                Enqueue(state, target, 0, DateTimeOffset.TryParse(lastmod, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null);
            }
        }
    }

    private void Enqueue(CrawlState state, Uri target, int depth, DateTimeOffset? lastModified)
    {
        if (!SameSite(target))
        {
            return;
        }

        var key = Key(target);
        if (state.Visited.Add(key))
        {
            state.Frontier.Add(new CrawlItem(key, depth, lastModified));
        }
    }

    private bool SameSite(Uri uri) =>
        (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) && uri.Scheme == _origin.Scheme
        && string.Equals(uri.Host, _origin.Host, StringComparison.OrdinalIgnoreCase) && uri.Port == _origin.Port;

    /// <summary>A page's identity: its URL without the fragment.</summary>
    private static string Key(Uri uri) => new UriBuilder(uri) { Fragment = string.Empty }.Uri.AbsoluteUri;

    internal sealed record CrawlItem(string Url, int Depth, DateTimeOffset? LastModified);

    /// <summary>The crawl so far: what is still to read, what has been queued or read, how many pages were fetched.</summary>
    internal sealed class CrawlState
    {
        public List<CrawlItem> Frontier { get; set; } = [];

        public HashSet<string> Visited { get; set; } = new(StringComparer.Ordinal);

        public int Pages { get; set; }

        public int Sitemaps { get; set; }
    }
}
