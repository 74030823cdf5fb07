using System.Text.Json;
using System.Text.Json.Nodes;
using SupportBot.Core.Escalations;
using SupportBot.Core.Redaction;
using SupportBot.Teams.Activities;

namespace SupportBot.Teams.Cards;

/// <summary>
/// The escalation form as an Adaptive Card 1.5: a team and a severity to choose (<c>Input.ChoiceSet</c>), a
/// case id checked by the client (<c>Input.Text</c> with <c>regex</c>) and a summary, sent with
/// <c>Action.Execute</c> (verb <see cref="CardVerbs.EscalationSubmit"/>) and an <c>Action.Submit</c> fallback.
/// The inputs' values arrive in the action's data under the ids below. The server checks them again and
/// answers a refused form with the same card, values kept and an error line under each wrong input.
/// </summary>
internal static class EscalationFormCard
{
    public const string TeamInput = "team";
    public const string SeverityInput = "severity";
    public const string CaseInput = "caseId";
    public const string SummaryInput = "summary";

    /// <summary>What Teams clients check before sending (the server checks the same, and more).</summary>
    // Checked by the Teams client (JavaScript, where \d is ASCII only), not by .NET, where it would match any script.
    public static readonly string CaseIdPattern = $@"^\s*#?\d{{1,{EscalationForms.MaxCaseIdDigits}}}\s*$";

    public static Activity Render(EscalationFormPrompt prompt, string fallbackText) => new()
    {
        Type = ActivityTypes.Message,
        Summary = "Escalation form",
        Attachments = [new Attachment { ContentType = AnswerCardRenderer.ContentType, Content = Card(prompt, fallbackText) }],
    };

    public static JsonObject Card(EscalationFormPrompt prompt, string? fallbackText = null)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        var values = prompt.Values;
        var body = new JsonArray
        {
            new JsonObject { ["type"] = "TextBlock", ["text"] = "Escalate to a specialist team", ["weight"] = "Bolder", ["size"] = "Medium", ["wrap"] = true },
        };
        if (prompt.SuggestedTeam is { } suggested && prompt.Teams.FirstOrDefault(t => t.Value == suggested) is { } team)
        {
            body.Add(Subtle($"Suggested from this conversation: {team.Title}. Pick another team if it belongs elsewhere."));
        }

        if (prompt.Errors.Count > 0)
        {
            body.Add(Attention("Not escalated yet: fix the fields marked below."));
        }

        Add(body, prompt, EscalationFormField.Team, Choices(TeamInput, "Team", prompt.Teams, values.Team, "Pick the team to escalate to."));
        Add(body, prompt, EscalationFormField.Severity, Choices(SeverityInput, "Severity", prompt.Severities, values.Severity, "Pick a severity."));
        Add(body, prompt, EscalationFormField.CaseId, Text(CaseInput, "Case id (optional)", values.CaseId, "e.g. 12345", EscalationForms.MaxCaseIdDigits + 1, new JsonObject
        {
            ["regex"] = CaseIdPattern,
            ["errorMessage"] = $"A case id is digits only (at most {EscalationForms.MaxCaseIdDigits}), e.g. 12345.",
        }));
        Add(body, prompt, EscalationFormField.Summary, Text(SummaryInput, "Summary", values.Summary, "What is wrong, what was tried, and what you need from the team", EscalationForms.MaxSummaryLength, new JsonObject
        {
            ["isMultiline"] = true,
            ["isRequired"] = true,
            ["errorMessage"] = "Say what the team should look at.",
        }));

        var data = new JsonObject { [CardVerbs.DataKey] = CardVerbs.EscalationSubmit };
        return new JsonObject
        {
            ["type"] = "AdaptiveCard",
            ["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json",
            ["version"] = AnswerCardRenderer.CardVersion,
            ["fallbackText"] = fallbackText ?? "Escalation form: say \"escalate to TEAM [sev1–sev4] [reason]\" where forms are not shown.",
            ["body"] = body,
            ["actions"] = new JsonArray(new JsonObject
            {
                ["type"] = "Action.Execute",
                ["title"] = "Escalate",
                ["verb"] = CardVerbs.EscalationSubmit,
                ["data"] = data.DeepClone(),
                ["fallback"] = new JsonObject { ["type"] = "Action.Submit", ["title"] = "Escalate", ["data"] = data.DeepClone() },
            }),
            ["msteams"] = new JsonObject { ["width"] = "Full" },
        };
    }

    /// <summary>What replaces the form once it was accepted (so it cannot be sent twice); the confirmation follows as a message.</summary>
    public static JsonObject Accepted(EscalationRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var details = (request.CaseId is { } caseId ? $"Case {caseId} · " : string.Empty) + AnswerCardRenderer.Trim(request.Summary, 300);
        return new JsonObject
        {
            ["type"] = "AdaptiveCard",
            ["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json",
            ["version"] = AnswerCardRenderer.CardVersion,
            ["fallbackText"] = $"Escalating to {request.Route.Name} ({EscalationForms.SeverityValue(request.Severity)}).",
            ["body"] = new JsonArray(
                new JsonObject { ["type"] = "TextBlock", ["text"] = $"Escalating to {request.Route.Name} ({EscalationForms.SeverityValue(request.Severity)})", ["weight"] = "Bolder", ["wrap"] = true },
                Subtle(details),
                new JsonObject { ["type"] = "TextBlock", ["text"] = "The confirmation follows in this conversation.", ["wrap"] = true }),
            ["msteams"] = new JsonObject { ["width"] = "Full" },
        };
    }

    /// <summary>The inputs from an action's data (<c>Action.Execute</c>) or a message's value (<c>Action.Submit</c>).</summary>
    /// <remarks>Typed fields are masked here, before a refused form echoes them back or anything stores them.</remarks>
    public static EscalationFormValues Read(JsonElement data) =>
        new(Str(data, TeamInput), Str(data, SeverityInput), Masked(Str(data, CaseInput)), Masked(Str(data, SummaryInput)));

    private static string? Masked(string? typed) => typed is null ? null : SensitiveDataRedactor.Redact(typed);

    private static void Add(JsonArray body, EscalationFormPrompt prompt, EscalationFormField field, JsonObject input)
    {
        body.Add(input);
        if (prompt.Errors.TryGetValue(field, out var error))
        {
            body.Add(Attention(error));
        }
    }

    private static JsonObject Choices(string id, string label, IReadOnlyList<FormChoice> choices, string? selected, string errorMessage)
    {
        var input = new JsonObject
        {
            ["type"] = "Input.ChoiceSet",
            ["id"] = id,
            ["label"] = label,
            ["style"] = "compact",
            ["isRequired"] = true,
            ["errorMessage"] = errorMessage,
            ["choices"] = new JsonArray([.. choices.Select(c => (JsonNode)new JsonObject { ["title"] = c.Title, ["value"] = c.Value })]),
        };
        if (selected is not null && choices.Any(c => c.Value == selected))
        {
            input["value"] = selected;
        }

        return input;
    }

    private static JsonObject Text(string id, string label, string? value, string placeholder, int maxLength, JsonObject extra)
    {
        var input = new JsonObject
        {
            ["type"] = "Input.Text",
            ["id"] = id,
            ["label"] = label,
            ["placeholder"] = placeholder,
            ["maxLength"] = maxLength,
        };
        foreach (var (key, node) in extra.ToList())
        {
            extra.Remove(key);
            input[key] = node;
        }

        if (!string.IsNullOrEmpty(value))
        {
            input["value"] = value.Length <= maxLength ? value : value[..maxLength];
        }

        return input;
    }

    private static JsonObject Subtle(string text) => new() { ["type"] = "TextBlock", ["text"] = text, ["wrap"] = true, ["isSubtle"] = true, ["spacing"] = "Small" };

    private static JsonObject Attention(string text) => new() { ["type"] = "TextBlock", ["text"] = text, ["wrap"] = true, ["color"] = "Attention", ["spacing"] = "Small" };

    private static string? Str(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
