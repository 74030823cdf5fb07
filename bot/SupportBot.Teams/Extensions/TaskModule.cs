using System.Text.Json;
using System.Text.Json.Nodes;
using SupportBot.Teams.Cards;

namespace SupportBot.Teams.Extensions;

/// <summary>The invoke responses of a message action's dialog (task module), and reading the invoke's values.</summary>
internal static class TaskModule
{
    /// <summary>The invoke response that opens (or keeps open) a dialog titled <paramref name="title"/> with <paramref name="card"/>.</summary>
    public static JsonObject Dialog(string title, JsonObject card) => new()
    {
        ["task"] = new JsonObject
        {
            ["type"] = "continue",
            ["value"] = new JsonObject
            {
                ["title"] = title,
                ["height"] = "medium",
                ["width"] = "medium",
                ["card"] = new JsonObject { ["contentType"] = AnswerCardRenderer.ContentType, ["content"] = card },
            },
        },
    };

    /// <summary>The invoke response that shows <paramref name="text"/> in the dialog.</summary>
    public static JsonObject Message(string text) => new() { ["task"] = new JsonObject { ["type"] = "message", ["value"] = text } };

    /// <summary>A string property of <paramref name="element"/>; null when it is not an object or the property not a string.</summary>
    public static string? Str(JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
