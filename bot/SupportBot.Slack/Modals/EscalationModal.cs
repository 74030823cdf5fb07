using System.Text.Json;
using System.Text.Json.Nodes;
using SupportBot.Core.Escalations;
using SupportBot.Core.Redaction;
using SupportBot.Slack.Events;

namespace SupportBot.Slack.Modals;

/// <summary>
/// Where a modal was opened, carried through Slack in the view's <c>private_metadata</c> (Slack remembers nothing between
/// opening and submitting: the submission brings back only the values and this). A slash command has no thread, so
/// <see cref="ThreadTs"/> is null and the escalation opens the requester's own thread in <see cref="Channel"/>.
/// </summary>
internal sealed record ModalOrigin(string Channel, string? ThreadTs)
{
    public string ToMetadata()
    {
        var json = new JsonObject { ["channel"] = Channel };
        if (ThreadTs is not null)
        {
            json["thread_ts"] = ThreadTs;
        }

        return json.ToJsonString();
    }

    public static ModalOrigin? FromMetadata(string? metadata)
    {
        if (string.IsNullOrEmpty(metadata))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(metadata);
            return SlackEventReader.Str(document.RootElement, "channel"u8) is { Length: > 0 } channel
                ? new ModalOrigin(channel, SlackEventReader.Str(document.RootElement, "thread_ts"u8))
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>
/// The escalation form as a Slack modal view (Block Kit <c>input</c> blocks), read back from a
/// <c>view_submission</c>, and its refusal (<c>response_action: errors</c>, keyed by <c>block_id</c>).
/// Limits from Slack's modal and Block Kit references: title, submit and close at most 24 characters,
/// 100 blocks, <c>private_metadata</c> 3,000 characters; a select at most 100 options of at most 75
/// characters (values 150); ids at most 255; a plain-text input at most 3,000 characters.
/// </summary>
internal static class EscalationModal
{
    public const string CallbackId = "escalate";

    public const string TeamBlock = "escalate.team";
    public const string TeamAction = "team";
    public const string SeverityBlock = "escalate.severity";
    public const string SeverityAction = "severity";
    public const string CaseBlock = "escalate.case";
    public const string CaseAction = "case_id";
    public const string SummaryBlock = "escalate.summary";
    public const string SummaryAction = "summary";

    public const int MaxOptions = 100;
    public const int MaxOptionText = 75;
    public const int MaxOptionValue = 150;
    public const int MaxButtonText = 24;

    public const string Title = "Escalate";

    public static JsonObject Build(EscalationFormPrompt prompt, ModalOrigin origin)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        ArgumentNullException.ThrowIfNull(origin);
        var values = prompt.Values;
        var teams = Options(prompt.Teams, values.Team, t => t.Value == t.Title ? t.Title : $"{t.Title} ({t.Value})");
        var severities = Options(prompt.Severities, values.Severity, s => s.Title);

        var teamSelect = Select(TeamAction, "Choose a team", teams.Options, teams.Initial);
        var teamInput = Input(TeamBlock, "Team", teamSelect);
        if (prompt.SuggestedTeam is not null)
        {
            teamInput["hint"] = Plain("Suggested from the conversation; pick another team if it belongs elsewhere.");
        }

        var caseInput = new JsonObject
        {
            ["type"] = "plain_text_input",
            ["action_id"] = CaseAction,
            ["max_length"] = EscalationForms.MaxCaseIdDigits + 1, // room for a leading '#'
            ["placeholder"] = Plain("e.g. 12345"),
        };
        if (!string.IsNullOrEmpty(values.CaseId))
        {
            caseInput["initial_value"] = values.CaseId;
        }

        var summaryInput = new JsonObject
        {
            ["type"] = "plain_text_input",
            ["action_id"] = SummaryAction,
            ["multiline"] = true,
            ["max_length"] = EscalationForms.MaxSummaryLength,
            ["placeholder"] = Plain("What is wrong, what was tried, and what you need from the team"),
        };
        if (!string.IsNullOrWhiteSpace(values.Summary))
        {
            summaryInput["initial_value"] = values.Summary.Length <= EscalationForms.MaxSummaryLength ? values.Summary : values.Summary[..EscalationForms.MaxSummaryLength];
        }

        var where = origin.ThreadTs is null
            ? "I'll start a thread in this channel (or in our direct messages) with the confirmation; status changes and the team's replies come back there."
            : "The confirmation, status changes and the team's replies come back to the thread you escalated from.";
        var caseBlock = Input(CaseBlock, "Case id", caseInput);
        caseBlock["optional"] = true;
        return new JsonObject
        {
            ["type"] = "modal",
            ["callback_id"] = CallbackId,
            ["title"] = Plain(Title),
            ["submit"] = Plain("Escalate"),
            ["close"] = Plain("Cancel"),
            ["private_metadata"] = origin.ToMetadata(),
            ["blocks"] = new JsonArray(
                teamInput,
                Input(SeverityBlock, "Severity", Select(SeverityAction, "Choose a severity", severities.Options, severities.Initial)),
                caseBlock,
                Input(SummaryBlock, "Summary", summaryInput),
                new JsonObject { ["type"] = "context", ["elements"] = new JsonArray(Plain(where)) }),
        };
    }

    /// <summary>The submitted values (<c>view.state.values[block_id][action_id]</c>); a missing field is null.</summary>
    public static EscalationFormValues Read(JsonElement view)
    {
        var values = view.ValueKind == JsonValueKind.Object && view.TryGetProperty("state"u8, out var state) && state.ValueKind == JsonValueKind.Object
            && state.TryGetProperty("values"u8, out var v) && v.ValueKind == JsonValueKind.Object ? v : default;
        return new EscalationFormValues(
            Selected(values, TeamBlock, TeamAction),
            Selected(values, SeverityBlock, SeverityAction),
            Masked(Typed(values, CaseBlock, CaseAction)),
            Masked(Typed(values, SummaryBlock, SummaryAction)));
    }

    // Typed fields are masked here, before a refused form echoes them back or anything stores them.
    private static string? Masked(string? typed) => typed is null ? null : SensitiveDataRedactor.Redact(typed);

    /// <summary>Keeps the modal open with a message under each wrong input: <c>{"response_action":"errors","errors":{block_id:text}}</c>.</summary>
    public static JsonObject Errors(IReadOnlyDictionary<EscalationFormField, string> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var byBlock = new JsonObject();
        foreach (var (field, message) in errors.OrderBy(e => e.Key))
        {
            byBlock[BlockOf(field)] = message;
        }

        return new JsonObject { ["response_action"] = "errors", ["errors"] = byBlock };
    }

    public static string BlockOf(EscalationFormField field) => field switch
    {
        EscalationFormField.Team => TeamBlock,
        EscalationFormField.Severity => SeverityBlock,
        EscalationFormField.CaseId => CaseBlock,
        _ => SummaryBlock,
    };

    /// <summary>
    /// Option objects within Slack's limits, and the initial one (an identical copy, as Slack requires). When
    /// there are more choices than a select holds, the selected one is kept in place of the last.
    /// </summary>
    private static (JsonArray Options, JsonObject? Initial) Options(IReadOnlyList<FormChoice> choices, string? selected, Func<FormChoice, string> text)
    {
        var kept = choices.Where(c => c.Value.Length <= MaxOptionValue).Take(MaxOptions).ToList();
        if (selected is not null && !kept.Exists(c => c.Value == selected) && choices.FirstOrDefault(c => c.Value == selected) is { } chosen && chosen.Value.Length <= MaxOptionValue)
        {
            kept[^1] = chosen;
        }

        var options = new JsonArray();
        JsonObject? initial = null;
        foreach (var choice in kept)
        {
            var option = new JsonObject { ["text"] = Plain(Clip(text(choice), MaxOptionText)), ["value"] = choice.Value };
            options.Add(option);
            if (choice.Value == selected)
            {
                initial = (JsonObject)option.DeepClone();
            }
        }

        return (options, initial);
    }

    private static JsonObject Select(string actionId, string placeholder, JsonArray options, JsonObject? initial)
    {
        var select = new JsonObject
        {
            ["type"] = "static_select",
            ["action_id"] = actionId,
            ["placeholder"] = Plain(placeholder),
            ["options"] = options,
        };
        if (initial is not null)
        {
            select["initial_option"] = initial;
        }

        return select;
    }

    private static JsonObject Input(string blockId, string label, JsonObject element) => new()
    {
        ["type"] = "input",
        ["block_id"] = blockId,
        ["label"] = Plain(label),
        ["element"] = element,
    };

    private static JsonObject Plain(string text) => new() { ["type"] = "plain_text", ["text"] = text, ["emoji"] = false };

    private static string Clip(string text, int max) => text.Length <= max ? text : string.Concat(text.AsSpan(0, max - 1), "…");

    private static JsonElement Action(JsonElement values, string blockId, string actionId) =>
        values.ValueKind == JsonValueKind.Object && values.TryGetProperty(blockId, out var block) && block.ValueKind == JsonValueKind.Object
            && block.TryGetProperty(actionId, out var action) && action.ValueKind == JsonValueKind.Object
            ? action
            : default;

    private static string? Selected(JsonElement values, string blockId, string actionId) =>
        Action(values, blockId, actionId) is { ValueKind: JsonValueKind.Object } action && action.TryGetProperty("selected_option"u8, out var option)
            ? SlackEventReader.Str(option, "value"u8)
            : null;

    private static string? Typed(JsonElement values, string blockId, string actionId) => SlackEventReader.Str(Action(values, blockId, actionId), "value"u8);
}
