using System.Text.Json;
using System.Text.Json.Nodes;
using SupportBot.Core.Answering;
using SupportBot.Teams.Activities;

namespace SupportBot.Teams.Cards;

/// <summary>
/// What makes a Teams message an AI message, as Microsoft documents it ("Bot messages with AI-generated content",
/// https://learn.microsoft.com/microsoftteams/platform/bots/how-to/bot-messages-ai-generated-content): one schema.org
/// <c>Message</c> entity carrying the AI-generated label (<c>additionalType: ["AIGeneratedContent"]</c>) and the citations
/// the text's <c>[n]</c> markers point to, and the feedback buttons (<c>channelData.feedbackLoop</c>). Also the
/// <c>streaminfo</c> entity of Teams' streaming protocol (https://learn.microsoft.com/microsoftteams/platform/bots/streaming-ux).
/// </summary>
internal static class AiMessage
{
    public const string MessageEntityType = "https://schema.org/Message";
    public const string AiGeneratedContent = "AIGeneratedContent";
    public const string StreamInfoType = "streaminfo";

    /// <summary>Teams shows at most 20 citations in a message and refuses a message with more (400).</summary>
    public const int MaxCitations = 20;

    /// <summary><c>appearance.name</c>: at most 80 characters.</summary>
    public const int MaxName = 80;

    /// <summary><c>appearance.abstract</c>: at most 160 characters.</summary>
    public const int MaxAbstract = 160;

    /// <summary>The feedback form Teams shows itself (<c>custom</c> would ask the bot for a dialog with <c>message/fetchTask</c>).</summary>
    public const string DefaultFeedbackLoop = "default";

    /// <summary>
    /// The one root <c>Message</c> entity (Teams refuses a message with two): the AI label, and a <c>Claim</c> per citation
    /// whose <c>position</c> is its number in the text. At most <see cref="MaxCitations"/>, names and abstracts cut to
    /// Teams' limits, a URL only when it is an absolute http(s) one.
    /// </summary>
    public static Entity MessageEntity(IReadOnlyList<Citation> citations)
    {
        ArgumentNullException.ThrowIfNull(citations);
        var claims = new JsonArray();
        foreach (var citation in citations.Where(c => c.N > 0).GroupBy(c => c.N).Select(g => g.First()).OrderBy(c => c.N).Take(MaxCitations))
        {
            var appearance = new JsonObject
            {
                ["@type"] = "DigitalDocument",
                ["name"] = Clip(string.IsNullOrWhiteSpace(citation.Title) ? $"Source {citation.N}" : citation.Title, MaxName),
            };
            if (Uri.TryCreate(citation.Url, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttps || url.Scheme == Uri.UriSchemeHttp))
            {
                appearance["url"] = citation.Url;
            }

            if (Abstract(citation) is { Length: > 0 } summary)
            {
                appearance["abstract"] = summary;
            }

            claims.Add(new JsonObject { ["@type"] = "Claim", ["position"] = citation.N, ["appearance"] = appearance });
        }

        return Of(new JsonObject
        {
            ["type"] = MessageEntityType,
            ["@type"] = "Message",
            ["@context"] = "https://schema.org",
            ["@id"] = string.Empty,
            ["additionalType"] = new JsonArray(AiGeneratedContent),
            ["citation"] = claims,
        });
    }

    /// <summary>
    /// The <c>streaminfo</c> entity: <c>streamId</c> from the second request on, <c>streamType</c>, and <c>streamSequence</c>
    /// (1, 2, 3… on every request but the final one, which must not carry it).
    /// </summary>
    public static Entity StreamInfo(string? streamId, string streamType, int? sequence) => Of(StreamFields(new JsonObject { ["type"] = StreamInfoType }, streamId, streamType, sequence));

    /// <summary>
    /// The same fields in <c>channelData</c>, as Microsoft's SDKs send them beside the entity; the final message's
    /// channel data also carries the feedback buttons.
    /// </summary>
    public static TeamsChannelData StreamChannelData(TeamsChannelData? existing, string? streamId, string streamType, int? sequence)
    {
        var data = existing ?? new TeamsChannelData();
        data.Extra ??= new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var (name, value) in StreamFields([], streamId, streamType, sequence))
        {
            data.Extra[name] = Element(value!);
        }

        return data;
    }

    /// <summary>Teams' feedback buttons under the message: <c>channelData.feedbackLoop = {"type":"default"}</c> (not also the older <c>feedbackLoopEnabled</c>: Teams refuses both).</summary>
    public static TeamsChannelData WithFeedbackLoop(TeamsChannelData? existing)
    {
        var data = existing ?? new TeamsChannelData();
        data.Extra ??= new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        data.Extra["feedbackLoop"] = Element(new JsonObject { ["type"] = DefaultFeedbackLoop });
        return data;
    }

    /// <summary>The excerpt, after the stale note when the source may be outdated, cut to <see cref="MaxAbstract"/>.</summary>
    private static string? Abstract(Citation citation)
    {
        var parts = new[] { citation.StaleNote is { } note ? $"({note})" : null, citation.Excerpt }.Where(p => !string.IsNullOrWhiteSpace(p));
        var text = string.Join(' ', parts);
        return text.Length == 0 ? null : Clip(text, MaxAbstract);
    }

    private static JsonObject StreamFields(JsonObject target, string? streamId, string streamType, int? sequence)
    {
        if (streamId is { Length: > 0 })
        {
            target["streamId"] = streamId;
        }

        target["streamType"] = streamType;
        if (sequence is { } n)
        {
            target["streamSequence"] = n;
        }

        return target;
    }

    internal static string Clip(string text, int max)
    {
        text = text.Trim();
        return text.Length <= max ? text : AnswerCardRenderer.Trim(text, max - 1) + "…";
    }

    private static Entity Of(JsonObject fields)
    {
        var entity = new Entity { Type = fields["type"]!.GetValue<string>(), Extra = new Dictionary<string, JsonElement>(StringComparer.Ordinal) };
        foreach (var (name, value) in fields)
        {
            if (name != "type")
            {
                entity.Extra[name] = Element(value!);
            }
        }

        return entity;
    }

    private static JsonElement Element(JsonNode node)
    {
        using var document = JsonDocument.Parse(node.ToJsonString());
        return document.RootElement.Clone();
    }
}
