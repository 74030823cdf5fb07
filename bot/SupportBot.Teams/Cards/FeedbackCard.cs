using System.Text.Json;
using System.Text.Json.Nodes;
using SupportBot.Core.Insights;
using SupportBot.Core.Redaction;

namespace SupportBot.Teams.Cards;

/// <summary>
/// After "Not helpful" (<c>Action.Execute</c>): the answer's card is refreshed to ask why — one of the reasons every
/// surface offers and an optional comment — sent with verb <see cref="CardVerbs.FeedbackReason"/> and the answer id.
/// The vote itself was counted from the click.
/// </summary>
internal static class FeedbackCard
{
    public const string ReasonInput = "reason";
    public const string CommentInput = "comment";

    public static JsonObject Ask(string answerId, QuestionRecord answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        var data = new JsonObject { [CardVerbs.DataKey] = CardVerbs.FeedbackReason, [CardVerbs.ValueKey] = answerId };
        return new JsonObject
        {
            ["type"] = "AdaptiveCard",
            ["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json",
            ["version"] = AnswerCardRenderer.CardVersion,
            ["fallbackText"] = CardVerbs.FeedbackThanks,
            ["body"] = new JsonArray(
                AnswerText(answer),
                new JsonObject { ["type"] = "TextBlock", ["text"] = "Thanks. What went wrong?", ["weight"] = "Bolder", ["wrap"] = true, ["separator"] = true },
                new JsonObject
                {
                    ["type"] = "Input.ChoiceSet",
                    ["id"] = ReasonInput,
                    ["label"] = "The answer was",
                    ["style"] = "expanded",
                    ["isRequired"] = true,
                    ["errorMessage"] = "Choose what was wrong with the answer.",
                    ["choices"] = new JsonArray([.. FeedbackReasons.All.Select(r => (JsonNode)new JsonObject { ["title"] = r.Label, ["value"] = r.Name })]),
                },
                new JsonObject
                {
                    ["type"] = "Input.Text",
                    ["id"] = CommentInput,
                    ["label"] = "Anything the support-ops team should know? (optional)",
                    ["isMultiline"] = true,
                    ["maxLength"] = FeedbackReasons.MaxComment,
                }),
            ["actions"] = new JsonArray(new JsonObject
            {
                ["type"] = "Action.Execute",
                ["title"] = "Send",
                ["verb"] = CardVerbs.FeedbackReason,
                ["data"] = data.DeepClone(),
                ["fallback"] = new JsonObject { ["type"] = "Action.Submit", ["title"] = "Send", ["data"] = data.DeepClone() },
            }),
        };
    }

    /// <summary>Once the reason was sent: the answer again, and thanks (no form left to send twice).</summary>
    public static JsonObject Thanks(QuestionRecord? answer)
    {
        var body = new JsonArray();
        if (answer is not null)
        {
            body.Add(AnswerText(answer));
        }

        body.Add(new JsonObject { ["type"] = "TextBlock", ["text"] = CardVerbs.FeedbackThanks, ["isSubtle"] = true, ["wrap"] = true, ["separator"] = answer is not null });
        return new JsonObject
        {
            ["type"] = "AdaptiveCard",
            ["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json",
            ["version"] = AnswerCardRenderer.CardVersion,
            ["fallbackText"] = CardVerbs.FeedbackThanks,
            ["body"] = body,
        };
    }

    /// <summary>After a rating of a resolved escalation: thanks, and an optional comment sent with <paramref name="commentValue"/>.</summary>
    public static JsonObject RatingComment(string escalationId, int score, string commentValue)
    {
        var data = new JsonObject { [CardVerbs.DataKey] = Core.Surfaces.ActionIds.EscalationRateComment, [CardVerbs.ValueKey] = commentValue };
        return new JsonObject
        {
            ["type"] = "AdaptiveCard",
            ["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json",
            ["version"] = AnswerCardRenderer.CardVersion,
            ["fallbackText"] = $"Thanks, {escalationId} is rated {score}/5.",
            ["body"] = new JsonArray(
                new JsonObject { ["type"] = "TextBlock", ["text"] = $"Thanks, {escalationId} is rated {score}/5.", ["weight"] = "Bolder", ["wrap"] = true },
                new JsonObject
                {
                    ["type"] = "Input.Text",
                    ["id"] = CommentInput,
                    ["label"] = "Anything to add about how it was handled? (optional)",
                    ["isMultiline"] = true,
                    ["maxLength"] = Core.Escalations.EscalationRating.MaxComment,
                }),
            ["actions"] = new JsonArray(new JsonObject
            {
                ["type"] = "Action.Execute",
                ["title"] = "Send",
                ["verb"] = Core.Surfaces.ActionIds.EscalationRateComment,
                ["data"] = data.DeepClone(),
                ["fallback"] = new JsonObject { ["type"] = "Action.Submit", ["title"] = "Send", ["data"] = data.DeepClone() },
            }),
        };
    }

    /// <summary>A comment form's comment (masked), or empty.</summary>
    public static string CommentOf(JsonElement data) =>
        data.ValueKind == JsonValueKind.Object ? SensitiveDataRedactor.Redact((Str(data, CommentInput) ?? string.Empty).Trim()) : string.Empty;

    /// <summary>The answer the card showed (masked as stored), so asking why does not take it away.</summary>
    private static JsonObject AnswerText(QuestionRecord answer) =>
        new() { ["type"] = "TextBlock", ["text"] = AnswerCardRenderer.Trim(answer.Answer, 2_000), ["wrap"] = true };

    /// <summary>The reason (packed with the answer id, as the pipeline reads it) and the masked comment, or null when the data is not a valid form.</summary>
    public static (string Target, string AnswerId, string Comment)? Read(JsonElement data)
    {
        if (data.ValueKind != JsonValueKind.Object
            || !FeedbackReasons.TryParse(Str(data, ReasonInput), out var reason)
            || Str(data, CardVerbs.ValueKey) is not { Length: > 0 } answerId)
        {
            return null;
        }

        var comment = (Str(data, CommentInput) ?? string.Empty).Trim();
        return (FeedbackReasons.Pack(reason, answerId), answerId, SensitiveDataRedactor.Redact(comment));
    }

    private static string? Str(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
