using System.Text.Json.Serialization;
using SupportBot.Knowledge.Evaluation;

namespace SupportBot.Knowledge.Ingestion;

/// <summary>One line of a BEIR corpus; unknown fields are ignored. Some exports name the id <c>id</c>; it is accepted when <c>_id</c> is absent.</summary>
public sealed record BeirDocument(
    [property: JsonPropertyName("_id")] string? Id,
    [property: JsonPropertyName("id")] string? PlainId,
    [property: JsonPropertyName("title")] string? Title,
    [property: JsonPropertyName("text")] string? Text,
    [property: JsonPropertyName("url")] string? Url,
    [property: JsonPropertyName("product")] string? Product,
    [property: JsonPropertyName("domain")] string? Domain);

/// <summary>Source-generated JSON for the knowledge library's file formats.</summary>
[JsonSourceGenerationOptions(ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip)]
[JsonSerializable(typeof(BeirDocument))]
[JsonSerializable(typeof(BeirQuery))]
[JsonSerializable(typeof(BeirConversation))]
[JsonSerializable(typeof(BeirAnswerability))]
internal sealed partial class KnowledgeJson : JsonSerializerContext;
