using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using SupportBot.Core.Answering;
using SupportBot.Core.Channels;
using SupportBot.Core.Conversations;
using SupportBot.Core.Redaction;
using SupportBot.Teams.Activities;
using SupportBot.Teams.Cards;

namespace SupportBot.Teams.Extensions;

/// <summary>
/// The "Search knowledge" search command (the manifest's <c>composeExtensions</c> command <see cref="CommandId"/>, in the
/// compose box's apps and the command box): <c>composeExtension/query</c> searches the knowledge base the way questions
/// are searched (curated, within the conversation's channel settings: off, who may use it, product areas, sources) and
/// lists one result per article; the one chosen goes into the compose box as a card with its title, summary and link.
/// Teams waits five seconds for the answer; the search is local, so nothing here calls out.
/// </summary>
internal sealed partial class KnowledgeSearchExtension(IKnowledgeSearch search, ChannelGate gate, TimeProvider time, ILogger<KnowledgeSearchExtension> logger)
{
    public const string CommandId = "searchKnowledge";
    public const string QueryInvoke = "composeExtension/query";

    /// <summary>The command's parameter, as the manifest names it.</summary>
    internal const string QueryParameter = "query";

    /// <summary>Teams asks for 25 at a time; more than that is never listed at once.</summary>
    internal const int MaxCount = 25;

    /// <summary>How deep paging goes: past this, a narrower query serves better.</summary>
    internal const int MaxSkip = 100;

    /// <summary>Passages searched for every page (articles have several): enough for <see cref="MaxSkip"/> + <see cref="MaxCount"/> articles in practice.</summary>
    internal const int SearchDepth = 200;

    private const int SummaryLength = 300;
    private const int PreviewLength = 120;
    private const string ThumbnailContentType = "application/vnd.microsoft.card.thumbnail";

    internal const string EmptyQueryText = "Type a few words to search the support knowledge base, e.g. \"dispute evidence\" or \"payout delayed\".";

    public async Task<JsonObject> QueryAsync(Activity activity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(activity);
        var value = activity.Value ?? default;
        if (TaskModule.Str(value, "commandId") != CommandId)
        {
            return MessageResult("That search is not one SupportBot knows.");
        }

        var query = SensitiveDataRedactor.Redact(QueryOf(value)).Trim();
        if (query.Length == 0)
        {
            return MessageResult(EmptyQueryText);
        }

        var (skip, count) = Paging(value);
        var asker = Asker(activity);
        var policy = gate.PolicyFor(asker);
        switch (await gate.CheckAsync(asker, policy, cancellationToken))
        {
            case ChannelDecision.Off:
                return MessageResult("SupportBot is turned off in this channel.");
            case ChannelDecision.NotAllowed:
                return MessageResult(ChannelGate.NotAllowedText);
        }

        // Passages, best first, grouped into articles: each article is listed once, at its best passage. The depth is the
        // same for every page, so the pages of one query are slices of one list.
        var hits = await search.SearchAsync(new SearchRequest(query, [], SearchDepth) { Products = policy.Areas, Sources = policy.Sources }, cancellationToken);
        var articles = hits.GroupBy(h => h.ArticleId, StringComparer.Ordinal).Select(g => g.First()).Skip(skip).Take(count).ToList();
        LogSearched(logger, articles.Count, skip);
        if (articles.Count == 0)
        {
            return MessageResult(skip == 0 ? "No knowledge article matches that. Try other words, or ask SupportBot the question." : "No more articles.");
        }

        var attachments = new JsonArray();
        foreach (var article in articles)
        {
            attachments.Add(Attachment(article));
        }

        return new JsonObject
        {
            ["composeExtension"] = new JsonObject { ["type"] = "result", ["attachmentLayout"] = "list", ["attachments"] = attachments },
        };
    }

    /// <summary>The query parameter's value; the default query (<c>initialRun</c>) and any other parameter count as empty.</summary>
    internal static string QueryOf(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Object || !value.TryGetProperty("parameters"u8, out var parameters) || parameters.ValueKind != JsonValueKind.Array)
        {
            return string.Empty;
        }

        foreach (var parameter in parameters.EnumerateArray())
        {
            if (TaskModule.Str(parameter, "name") == QueryParameter)
            {
                return TaskModule.Str(parameter, "value") ?? string.Empty;
            }
        }

        return string.Empty;
    }

    /// <summary><c>queryOptions.skip</c> and <c>count</c>, within bounds (Teams sends 0 and 25 for the first page).</summary>
    internal static (int Skip, int Count) Paging(JsonElement value)
    {
        var options = value.ValueKind == JsonValueKind.Object && value.TryGetProperty("queryOptions"u8, out var o) ? o : default;
        return (Math.Clamp(Int(options, "skip") ?? 0, 0, MaxSkip), Math.Clamp(Int(options, "count") ?? MaxCount, 1, MaxCount));
    }

    /// <summary>The card inserted into the compose box (title, summary, link) and the thumbnail Teams lists it with.</summary>
    internal static JsonObject Attachment(SearchHit article)
    {
        var summary = Shorten(article.KeySentences.Count > 0 ? string.Join(' ', article.KeySentences) : article.Text, SummaryLength);
        var body = new JsonArray
        {
            new JsonObject { ["type"] = "TextBlock", ["text"] = AnswerCardRenderer.Neutralize(article.Title), ["weight"] = "Bolder", ["size"] = "Medium", ["wrap"] = true },
            new JsonObject { ["type"] = "TextBlock", ["text"] = AnswerCardRenderer.Neutralize(summary), ["wrap"] = true },
        };
        var about = string.Join(" · ", new[] { article.Section, article.Product }.Where(s => !string.IsNullOrWhiteSpace(s)));
        if (about.Length > 0)
        {
            body.Add(new JsonObject { ["type"] = "TextBlock", ["text"] = AnswerCardRenderer.Neutralize(about), ["isSubtle"] = true, ["size"] = "Small", ["wrap"] = true });
        }

        if (article.Stale)
        {
            body.Add(new JsonObject { ["type"] = "TextBlock", ["text"] = "This article may be out of date.", ["color"] = "Warning", ["size"] = "Small", ["wrap"] = true });
        }

        var card = new JsonObject
        {
            ["type"] = "AdaptiveCard",
            ["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json",
            ["version"] = AnswerCardRenderer.CardVersion,
            ["body"] = body,
        };
        if (Uri.TryCreate(article.Url, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttps || url.Scheme == Uri.UriSchemeHttp))
        {
            card["actions"] = new JsonArray(new JsonObject { ["type"] = "Action.OpenUrl", ["title"] = "Open article", ["url"] = url.AbsoluteUri });
        }

        return new JsonObject
        {
            ["contentType"] = AnswerCardRenderer.ContentType,
            ["content"] = card,
            ["preview"] = new JsonObject
            {
                ["contentType"] = ThumbnailContentType,
                ["content"] = new JsonObject { ["title"] = article.Title, ["text"] = Shorten(summary, PreviewLength) },
            },
        };
    }

    private InboundMessage Asker(Activity activity) => new(
        string.Empty,
        TeamsSurfaceData.Conversation(activity.Conversation!.Id!),
        activity.From?.Id ?? string.Empty,
        activity.From?.Name ?? string.Empty,
        string.Empty,
        time.GetUtcNow(),
        SurfaceData: TeamsSurfaceData.From(activity, TeamsSurfaceData.Reply),
        Tenant: activity.TenantId,
        Scope: activity.Conversation.ConversationType is "personal" ? ConversationScope.Direct : ConversationScope.Channel);

    /// <summary>A <c>message</c> result: plain text Teams shows in place of results.</summary>
    internal static JsonObject MessageResult(string text) => new()
    {
        ["composeExtension"] = new JsonObject { ["type"] = "message", ["text"] = text },
    };

    /// <summary>At most <paramref name="length"/> characters, cut at a word, Markdown headings and line breaks flattened.</summary>
    private static string Shorten(string text, int length)
    {
        var flat = string.Join(' ', text.Replace('\n', ' ').Replace('\r', ' ').Split(' ', StringSplitOptions.RemoveEmptyEntries)).TrimStart('#', ' ');
        if (flat.Length <= length)
        {
            return flat;
        }

        var cut = flat.LastIndexOf(' ', length - 1);
        return flat[..(cut > length / 2 ? cut : length - 1)] + "…";
    }

    private static int? Int(JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.Number when value.TryGetInt32(out var n) => n,
                JsonValueKind.String when int.TryParse(value.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var s) => s,
                _ => null,
            }
            : null;

    [LoggerMessage(Level = LogLevel.Debug, Message = "Teams knowledge search: {Count} articles from {Skip}")]
    private static partial void LogSearched(ILogger logger, int count, int skip);
}
