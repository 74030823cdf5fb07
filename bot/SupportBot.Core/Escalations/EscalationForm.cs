using System.Globalization;
using SupportBot.Core.Conversations;

namespace SupportBot.Core.Escalations;

/// <summary>The fields of the escalation form, the same on every surface (a Slack modal, a Teams card).</summary>
public enum EscalationFormField
{
    Team,
    Severity,
    CaseId,
    Summary,
}

/// <summary>
/// The form's values as the person left them. Any of them may be missing or wrong until
/// <see cref="EscalationForms.Validate"/> says otherwise: what a platform delivers is never trusted.
/// </summary>
public sealed record EscalationFormValues(string? Team, string? Severity, string? CaseId, string? Summary)
{
    /// <summary>
    /// Team, severity and case id as one action target (<c>team|severity|case</c>); the summary travels as
    /// the message text, so the gateway masks it before it is queued or stored.
    /// </summary>
    public string PackTarget() => $"{Team}|{Severity}|{CaseId}";

    public static EscalationFormValues Unpack(string? target, string? summary)
    {
        var parts = (target ?? string.Empty).Split('|', 3);
        return new EscalationFormValues(Part(parts, 0), Part(parts, 1), Part(parts, 2), summary);
    }

    private static string? Part(string[] parts, int index) => parts.Length > index && parts[index].Length > 0 ? parts[index] : null;
}

/// <summary>One option of a choice: the value sent back and the title people read.</summary>
public sealed record FormChoice(string Value, string Title);

/// <summary>A form that passed validation: everything needed to start an escalation.</summary>
public sealed record EscalationRequest(EscalationRoute Route, Severity Severity, string? CaseId, string Summary)
{
    public EscalationFormValues Values => new(Route.Team, EscalationForms.SeverityValue(Severity), CaseId, Summary);
}

/// <summary>
/// What a surface renders: the teams and severities to choose from, the values to show (prefilled, or as
/// submitted), the team the bot suggested (null when the person named it), and what is wrong, by field.
/// </summary>
public sealed record EscalationFormPrompt(
    IReadOnlyList<FormChoice> Teams,
    IReadOnlyList<FormChoice> Severities,
    EscalationFormValues Values,
    string? SuggestedTeam,
    IReadOnlyDictionary<EscalationFormField, string> Errors)
{
    /// <summary>The errors as one line, in field order (for surfaces that show them as text).</summary>
    public string ErrorText => string.Join(" ", Errors.OrderBy(e => e.Key).Select(e => e.Value));
}

/// <summary>
/// The escalation form's rules, shared by every surface: which teams and severities it offers, how it is
/// prefilled from a command's text and the thread, and what a submission must satisfy.
/// </summary>
public sealed class EscalationForms(EscalationRoutes routes, ThreadPosters posters)
{
    /// <summary>The longest summary accepted; the Slack input and the Teams card enforce the same limit.</summary>
    public const int MaxSummaryLength = 1500;

    /// <summary>Case ids are ticket numbers: digits only, at most this many.</summary>
    public const int MaxCaseIdDigits = 12;

    public const Severity DefaultSeverity = Severity.Sev3;

    private static readonly Dictionary<EscalationFormField, string> NoErrors = [];

    public static IReadOnlyList<FormChoice> Severities { get; } =
    [
        new("sev1", "sev1 · outage, or money movement at risk"),
        new("sev2", "sev2 · a merchant is blocked"),
        new("sev3", "sev3 · needs a specialist soon"),
        new("sev4", "sev4 · a question for the team"),
    ];

    public IReadOnlyList<FormChoice> Teams { get; } = [.. routes.Routes.Select(r => new FormChoice(r.Team, r.Name))];

    /// <summary>False when the routes may not be used (the built-in samples on a real deployment).</summary>
    public bool SetUp => routes.SetUp;

    public static string SeverityValue(Severity severity) => severity.ToString().ToLowerInvariant();

    /// <summary>
    /// The form prefilled from what followed the command (<c>[to] TEAM</c>, <c>sev1</c>–<c>sev4</c>, a
    /// reason, a "case 123" mention) and the thread so far. Without a named team, the team is suggested
    /// from the thread's words.
    /// </summary>
    public EscalationFormPrompt Prefill(string commandText, IReadOnlyList<ConversationTurn> thread)
    {
        ArgumentNullException.ThrowIfNull(commandText);
        ArgumentNullException.ThrowIfNull(thread);
        var text = commandText.Trim();
        var firstWord = text.Split((char[]?)null, 2, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();

        // "/escalate disputes sev2 …" names the team like "escalate to disputes sev2 …" does.
        var phrase = firstWord is not null && !firstWord.Equals("to", StringComparison.OrdinalIgnoreCase) && routes.Find(firstWord) is not null
            ? "escalate to " + text
            : "escalate " + text;
        // The phrase starts with "escalate", so it always parses; the fallback only satisfies the compiler.
        var whole = new EscalateCommand(null, null, text.Length == 0 ? null : text);
        var command = EscalateCommand.TryParse(phrase, out var parsed) ? parsed : whole;

        // "to the acquirer …" names no team: then all of it is the summary.
        return Prefill(command.Team is { } team && routes.Find(team) is null ? whole : command, thread, text);
    }

    /// <summary>The form for a parsed "escalate" command in a thread.</summary>
    public EscalationFormPrompt Prefill(EscalateCommand command, IReadOnlyList<ConversationTurn> thread, string? mentions = null)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(thread);
        var named = command.Team is { } team ? routes.Find(team) : null;
        var threadText = string.Join('\n', thread.Select(t => t.Text).Append(command.Reason ?? string.Empty));
        var route = named ?? routes.Suggest(threadText, []);
        var caseId = HeuristicEscalationSummarizer.CaseIdIn([.. thread.Select(t => t.Text), mentions ?? command.Reason ?? string.Empty]);
        var summary = command.Reason ?? HeuristicEscalationSummarizer.FirstQuestion(thread) ?? string.Empty;
        var values = new EscalationFormValues(route.Team, SeverityValue(command.Severity ?? DefaultSeverity), caseId, Clip(summary));
        return new EscalationFormPrompt(Teams, Severities, values, named is null ? route.Team : null, NoErrors);
    }

    /// <summary>The form shown again with what was submitted and what is wrong with it.</summary>
    public EscalationFormPrompt Refused(EscalationFormValues values, IReadOnlyDictionary<EscalationFormField, string> errors) =>
        new(Teams, Severities, values, null, errors);

    /// <summary>
    /// Checks a submission: a known team on a connected platform, a severity from sev1 to sev4, a case id of digits (optional), and a
    /// summary of 1 to <see cref="MaxSummaryLength"/> characters. Returns the problems by field; none means
    /// <paramref name="request"/> is set.
    /// </summary>
    public IReadOnlyDictionary<EscalationFormField, string> Validate(EscalationFormValues values, out EscalationRequest? request)
    {
        ArgumentNullException.ThrowIfNull(values);
        var errors = new Dictionary<EscalationFormField, string>();
        var team = values.Team?.Trim();
        var route = string.IsNullOrEmpty(team) ? null : routes.Find(team);
        if (route is null)
        {
            errors[EscalationFormField.Team] = string.IsNullOrEmpty(team)
                ? "Pick the team to escalate to."
                : $"There is no team '{team}'. Pick one from the list.";
        }
        else if (posters.For(route.Destination.Surface) is null)
        {
            errors[EscalationFormField.Team] = $"{route.Name} works on {route.Destination.Surface}, which is not connected here; escalate to them directly.";
        }

        var severity = ParseSeverity(values.Severity);
        if (severity is null)
        {
            errors[EscalationFormField.Severity] = "Pick a severity from sev1 to sev4.";
        }

        var caseId = values.CaseId?.Trim().TrimStart('#').Trim();
        if (string.IsNullOrEmpty(caseId))
        {
            caseId = null;
        }
        else if (caseId.Length > MaxCaseIdDigits || !caseId.All(char.IsAsciiDigit))
        {
            errors[EscalationFormField.CaseId] = $"A case id is digits only (at most {MaxCaseIdDigits}), e.g. 12345.";
        }

        var summary = values.Summary?.Trim() ?? string.Empty;
        if (summary.Length == 0)
        {
            errors[EscalationFormField.Summary] = "Say what the team should look at.";
        }
        else if (summary.Length > MaxSummaryLength)
        {
            errors[EscalationFormField.Summary] = string.Create(CultureInfo.InvariantCulture, $"Keep the summary to {MaxSummaryLength} characters (it has {summary.Length}).");
        }

        request = errors.Count == 0 ? new EscalationRequest(route!, severity!.Value, caseId, summary) : null;
        return errors;
    }

    /// <summary><c>sev1</c>–<c>sev4</c> (any case), or just the digit.</summary>
    public static Severity? ParseSeverity(string? text)
    {
        var value = text?.Trim();
        if (value is { Length: 4 } && value.StartsWith("sev", StringComparison.OrdinalIgnoreCase))
        {
            value = value[3..];
        }

        return value is { Length: 1 } && value[0] is >= '1' and <= '4' ? (Severity)(value[0] - '0') : null;
    }

    private static string Clip(string text) => text.Length <= MaxSummaryLength ? text : text[..MaxSummaryLength];
}
