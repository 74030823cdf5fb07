using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using static SupportBot.Knowledge.Connectors.JsonFields;

namespace SupportBot.Knowledge.Connectors;

/// <summary>
/// Zendesk Guide (Help Center) articles through the incremental export,
/// <c>GET /api/v2/help_center/incremental/articles?start_time={unix}</c>: every article whose metadata changed since the
/// start time, up to 1,000 a page, the next page starting at the page's <c>end_time</c>. A full sync starts at 0, so
/// archived or deleted articles (which no listing shows) are found by their absence. Drafts are not indexed (a
/// published article turned draft is removed). Sections and categories (cursor pagination: <c>page[size]</c>,
/// <c>links.next</c>, <c>meta.has_more</c>) give each article its product area; with more than one locale configured,
/// each changed article's translations in those locales are indexed too (<c>/articles/{id}/translations</c>).
/// Basic auth <c>{email}/token:{api_token}</c>.
/// </summary>
internal sealed class ZendeskConnector(ConnectorOptions options, ConnectorHttp http) : IKnowledgeConnector
{
    private readonly Uri _base = new(options.BaseUrl!.TrimEnd('/') + "/");

    public bool AlwaysFull => false;

    private string PrimaryLocale => options.Locales.FirstOrDefault(l => !string.IsNullOrWhiteSpace(l))?.Trim().ToLowerInvariant() ?? "en-us";

    public async IAsyncEnumerable<SyncBatch> ReadAsync(SyncRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var areas = await ProductAreasAsync(cancellationToken);
        var start = long.TryParse(request.Resume, NumberStyles.None, CultureInfo.InvariantCulture, out var resumed)
            ? resumed
            : request.Since?.ToUnixTimeSeconds() ?? 0;
        var translated = options.Locales.Select(l => l.Trim().ToLowerInvariant()).Where(l => l.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        while (true)
        {
            var uri = new Uri(_base, $"api/v2/help_center/incremental/articles?start_time={start.ToString(CultureInfo.InvariantCulture)}");
            using var page = JsonDocument.Parse(await http.GetStringAsync(uri, cancellationToken));
            var root = page.RootElement;
            var articles = new List<RemoteArticle>();
            var gone = new List<string>();
            foreach (var item in Array(root, "articles"))
            {
                var id = item.GetProperty("id").GetRawText();
                var product = areas.TryGetValue(Number(item, "section_id"), out var area) ? area : "general";
                if (Bool(item, "draft"))
                {
                    gone.Add(id);
                }
                else
                {
                    articles.Add(ToArticle(id, item, product));
                }

                if (translated.Count > 1)
                {
                    await TranslationsAsync(id, Text(item, "locale"), product, translated, articles, gone, cancellationToken);
                }
            }

            var end = root.TryGetProperty("end_time", out var endTime) && endTime.ValueKind == JsonValueKind.Number ? endTime.GetInt64() : start;
            var next = root.TryGetProperty("next_page", out var nextPage) && nextPage.ValueKind == JsonValueKind.String;
            yield return new SyncBatch(articles, [], gone, end.ToString(CultureInfo.InvariantCulture), DateTimeOffset.FromUnixTimeSeconds(end));

            // The last page has no next_page; a page that does not move the start time on would repeat forever.
            if (!next || end <= start || articles.Count + gone.Count == 0)
            {
                yield break;
            }

            start = end;
        }
    }

    private async Task TranslationsAsync(string id, string? own, string product, List<string> locales, List<RemoteArticle> articles, List<string> gone, CancellationToken cancellationToken)
    {
        Uri? uri = new(_base, $"api/v2/help_center/articles/{id}/translations?locales={string.Join(',', locales)}");
        while (uri is not null)
        {
            using var page = JsonDocument.Parse(await http.GetStringAsync(uri, cancellationToken));
            foreach (var translation in Array(page.RootElement, "translations"))
            {
                var locale = Text(translation, "locale")?.ToLowerInvariant();
                if (locale is null || locale == own?.ToLowerInvariant() || !locales.Contains(locale))
                {
                    continue;
                }

                var key = $"{id}/{locale}";
                if (Bool(translation, "draft"))
                {
                    gone.Add(key);
                }
                else
                {
                    articles.Add(ToArticle(key, translation, product));
                }
            }

            uri = Next(page.RootElement);
        }
    }

    private static RemoteArticle ToArticle(string key, JsonElement item, string product) => new(
        key,
        Text(item, "title") ?? key,
        Text(item, "html_url") ?? string.Empty,
        DateTimeOffset.TryParse(Text(item, "updated_at"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var updated) ? updated : null,
        product,
        Text(item, "locale")?.ToLowerInvariant(),
        HtmlBody.ToMarkdown(Text(item, "body") ?? string.Empty));

    /// <summary>Section id → product area: the section's category's name (or the section's own, with <c>ProductArea=section</c>).</summary>
    private async Task<Dictionary<long, string>> ProductAreasAsync(CancellationToken cancellationToken)
    {
        var categories = new Dictionary<long, string>();
        await foreach (var category in ListAsync($"api/v2/help_center/{PrimaryLocale}/categories", "categories", cancellationToken))
        {
            categories[Number(category, "id")] = Text(category, "name") ?? string.Empty;
        }

        var areas = new Dictionary<long, string>();
        await foreach (var section in ListAsync($"api/v2/help_center/{PrimaryLocale}/sections", "sections", cancellationToken))
        {
            var name = options.ProductArea == "section"
                ? Text(section, "name")
                : categories.GetValueOrDefault(Number(section, "category_id"));
            areas[Number(section, "id")] = string.IsNullOrWhiteSpace(name) ? "general" : name.Trim().ToLowerInvariant();
        }

        return areas;
    }

    private async IAsyncEnumerable<JsonElement> ListAsync(string path, string property, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Uri? uri = new(_base, $"{path}?page[size]={Math.Min(options.PageSize, 100).ToString(CultureInfo.InvariantCulture)}");
        while (uri is not null)
        {
            using var page = JsonDocument.Parse(await http.GetStringAsync(uri, cancellationToken));
            foreach (var item in Array(page.RootElement, property))
            {
                yield return item.Clone();
            }

            uri = page.RootElement.TryGetProperty("meta", out var meta) && meta.TryGetProperty("has_more", out var more) && more.ValueKind == JsonValueKind.True
                ? Next(page.RootElement)
                : null;
        }
    }

    /// <summary><c>links.next</c> (cursor pagination) or <c>next_page</c> (offset), on the source's own host only.</summary>
    private Uri? Next(JsonElement root)
    {
        var next = root.TryGetProperty("links", out var links) && links.ValueKind == JsonValueKind.Object ? Text(links, "next") : Text(root, "next_page");
        if (next is null || !Uri.TryCreate(_base, next, out var uri))
        {
            return null;
        }

        return uri.Host.Equals(_base.Host, StringComparison.OrdinalIgnoreCase) ? uri : null;
    }
}
