using System.Text.Json;
using SupportBot.Core.Insights;
using SupportBot.Core.Redaction;

namespace SupportBot.Teams.Activities;

/// <summary>
/// Teams' feedback buttons under an AI message: a thumb pressed and the form sent arrive as an <c>invoke</c> named
/// <c>message/submitAction</c> with <c>value.actionName</c> <c>feedback</c>, <c>value.actionValue.reaction</c> <c>like</c> or
/// <c>dislike</c>, and <c>value.actionValue.feedback</c> a JSON string <c>{"feedbackText":"…"}</c>; <c>replyToId</c> names
/// the message (https://learn.microsoft.com/microsoftteams/platform/bots/how-to/bot-messages-ai-generated-content#handle-feedback).
/// </summary>
internal static class FeedbackInvoke
{
    public const string Name = "message/submitAction";
    public const string ActionName = "feedback";

    /// <summary>True when the invoke is the feedback action (other <c>message/submitAction</c> actions are not SupportBot's).</summary>
    public static bool IsFeedback(JsonElement? value) =>
        value is { ValueKind: JsonValueKind.Object } root && Str(root, "actionName") == ActionName;

    /// <summary>Helpful or not, and the person's text, masked and cut to <see cref="FeedbackReasons.MaxComment"/>; null when the reaction is missing.</summary>
    public static (bool Helpful, string Comment)? Read(JsonElement? value)
    {
        if (value is not { ValueKind: JsonValueKind.Object } root
            || !root.TryGetProperty("actionValue"u8, out var action) || action.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        bool helpful;
        switch (Str(action, "reaction"))
        {
            case "like":
                helpful = true;
                break;
            case "dislike":
                helpful = false;
                break;
            default:
                return null;
        }

        var text = (FeedbackText(action) ?? string.Empty).Trim();
        if (text.Length > FeedbackReasons.MaxComment)
        {
            text = text[..FeedbackReasons.MaxComment];
        }

        return (helpful, SensitiveDataRedactor.Redact(text));
    }

    /// <summary><c>feedback</c> is documented as a JSON string; an object is read the same way.</summary>
    private static string? FeedbackText(JsonElement action)
    {
        if (!action.TryGetProperty("feedback"u8, out var feedback))
        {
            return null;
        }

        if (feedback.ValueKind == JsonValueKind.Object)
        {
            return Str(feedback, "feedbackText");
        }

        if (feedback.ValueKind != JsonValueKind.String || feedback.GetString() is not { Length: > 0 } json)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.ValueKind == JsonValueKind.Object ? Str(document.RootElement, "feedbackText") : null;
        }
        catch (JsonException)
        {
            return json; // plain text where JSON was expected: still what the person wrote
        }
    }

    private static string? Str(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
