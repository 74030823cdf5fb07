using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using static SupportBot.Knowledge.Connectors.JsonFields;

namespace SupportBot.Knowledge.Connectors;

/// <summary>
/// Confluence Cloud pages of the configured spaces through CQL search,
/// <c>GET /wiki/rest/api/content/search?cql=space in (…) and type=page [and lastmodified &gt;= "yyyy/MM/dd HH:mm"]</c>
/// with the storage-format body, version and space expanded, page after page by <c>_links.next</c>. The space's name
/// is the product area; the page's address is <c>_links.base</c> + its <c>webui</c> link. Basic auth
/// <c>{email}:{api_token}</c>. CQL compares dates in the API user's time zone to the minute, so an incremental query
/// reaches back a day before the last change seen: pages read again unchanged are skipped by content hash.
/// </summary>
internal sealed class ConfluenceConnector(ConnectorOptions options, ConnectorHttp http) : IKnowledgeConnector
{
    /// <summary>Wider than any time zone's offset from UTC.</summary>
    internal static readonly TimeSpan Overlap = TimeSpan.FromDays(1);

    private readonly Uri _base = new(options.BaseUrl!.TrimEnd('/') + "/");

    public bool AlwaysFull => false;

    public async IAsyncEnumerable<SyncBatch> ReadAsync(SyncRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var next = request.Resume is { Length: > 0 } resume && Uri.TryCreate(_base, resume, out var resumed) && SameHost(resumed)
            ? resumed
            : new Uri(_base, $"wiki/rest/api/content/search?cql={Uri.EscapeDataString(Cql(request.Since))}&expand=body.storage,version,space,history.lastUpdated&limit={Math.Min(options.PageSize, 250).ToString(CultureInfo.InvariantCulture)}");
        while (next is not null)
        {
            using var page = JsonDocument.Parse(await http.GetStringAsync(next, cancellationToken));
            var root = page.RootElement;
            var links = root.TryGetProperty("_links", out var l) && l.ValueKind == JsonValueKind.Object ? l : default;
            var site = links.ValueKind == JsonValueKind.Object ? Text(links, "base") : null;
            var articles = new List<RemoteArticle>();
            var gone = new List<string>();
            DateTimeOffset? highWater = null;
            foreach (var item in Array(root, "results"))
            {
                var id = Text(item, "id") ?? item.GetProperty("id").GetRawText();
                if (Text(item, "status") is { } status && status != "current")
                {
                    gone.Add(id); // trashed, archived or a draft
                    continue;
                }

                var when = item.TryGetProperty("version", out var version) && DateTimeOffset.TryParse(Text(version, "when"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var w) ? w : (DateTimeOffset?)null;
                if (when is { } changed && (highWater is null || changed > highWater))
                {
                    highWater = changed;
                }

                var space = item.TryGetProperty("space", out var s) ? Text(s, "name") ?? Text(s, "key") : null;
                var storage = item.TryGetProperty("body", out var body) && body.TryGetProperty("storage", out var st) ? Text(st, "value") : null;
                var webui = item.TryGetProperty("_links", out var own) ? Text(own, "webui") : null;
                articles.Add(new RemoteArticle(
                    id,
                    Text(item, "title") ?? id,
                    webui is null ? string.Empty : (site ?? new Uri(_base, "wiki").ToString()).TrimEnd('/') + webui,
                    when,
                    string.IsNullOrWhiteSpace(space) ? "general" : space.Trim().ToLowerInvariant(),
                    null,
                    ConfluenceStorageFormat.ToMarkdown(storage ?? string.Empty)));
            }

            var following = links.ValueKind == JsonValueKind.Object ? Text(links, "next") : null;
            next = following is not null && Uri.TryCreate(_base, following.StartsWith("/wiki/", StringComparison.Ordinal) || following.StartsWith("http", StringComparison.Ordinal) ? following : "wiki" + following, out var n) && SameHost(n) ? n : null;
            yield return new SyncBatch(articles, [], gone, next?.PathAndQuery, highWater);
        }
    }

    internal string Cql(DateTimeOffset? since)
    {
        var spaces = string.Join(',', options.Spaces.Where(s => !string.IsNullOrWhiteSpace(s)).Select(s => $"\"{s.Trim().Replace("\"", string.Empty, StringComparison.Ordinal)}\""));
        var cql = $"space in ({spaces}) and type=page";
        if (since is { } from)
        {
            cql += $" and lastmodified >= \"{(from - Overlap).UtcDateTime.ToString("yyyy/MM/dd HH:mm", CultureInfo.InvariantCulture)}\"";
        }

        return cql + " order by lastmodified asc";
    }

    private bool SameHost(Uri uri) => uri.Host.Equals(_base.Host, StringComparison.OrdinalIgnoreCase) && uri.Port == _base.Port;
}
