using System.Globalization;
using SupportBot.Core.Surfaces;

namespace SupportBot.Core.Escalations;

/// <summary>How escalations speak: the texts and button values every part of an escalation uses, masked where posted.</summary>
internal static class EscalationText
{
    /// <summary>A notice to post in a thread, masked (a summary or a relayed reply may carry card numbers).</summary>
    public static Reply Masked(string text, IReadOnlyList<ReplyAction> actions) =>
        new(ReplyKind.Notice, Redaction.SensitiveDataRedactor.Redact(text), [], Confident: true, actions);

    /// <summary>A notice for the person who pressed or asked only.</summary>
    public static Reply Private(string text) => Reply.PrivateNotice(text);

    public static string AlreadyEscalated(Escalation existing) =>
        $"This thread is already escalated as {existing.Id} ({existing.Team}, {Describe(existing.Status)}).";

    public static string NoSuchTeam(string team, EscalationRoutes routes) => $"There is no team '{team}'. Teams: {TeamList(routes)}.";

    public static string TeamList(EscalationRoutes routes) => string.Join(", ", routes.Routes.Select(r => r.Team));

    /// <summary>The SLA line under a team thread's first message; empty when the route has no SLA.</summary>
    public static string SlaLine(EscalationRoute route) =>
        route.AcknowledgeWithin is null && route.ResolveWithin is null
            ? string.Empty
            : $"\nSLA: acknowledge within {Span(route.AcknowledgeWithin)}, resolve within {Span(route.ResolveWithin)}.";

    public static string Label(Severity severity) => severity.ToString().ToLowerInvariant();

    public static string Describe(EscalationStatus status) => status.ToString().ToLowerInvariant();

    /// <summary>A suggested escalation as a confirm button's value (signed by the caller).</summary>
    public static string Pack(string team, Severity severity, string? reason) => $"{team}|{(int)severity}|{reason}";

    public static (string Team, Severity Severity, string? Reason) Unpack(string? value)
    {
        var parts = (value ?? string.Empty).Split('|', 3);
        var severity = parts.Length > 1 && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var s) && s is >= 1 and <= 4 ? (Severity)s : Severity.Sev3;
        return (parts[0], severity, parts.Length > 2 && parts[2].Length > 0 ? parts[2] : null);
    }

    private static string Span(TimeSpan? span) => span switch
    {
        null => "—",
        { TotalDays: >= 1 } s when s.TotalDays == Math.Floor(s.TotalDays) => $"{s.TotalDays:0}d",
        { TotalHours: >= 1 } s when s.TotalHours == Math.Floor(s.TotalHours) => $"{s.TotalHours:0}h",
        { } s => $"{s.TotalMinutes:0}m",
    };
}
