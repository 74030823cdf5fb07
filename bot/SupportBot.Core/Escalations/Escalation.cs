using SupportBot.Core.Conversations;

namespace SupportBot.Core.Escalations;

/// <summary>How urgent: Sev1 is an outage or money-movement incident, Sev4 a question.</summary>
public enum Severity
{
    Sev1 = 1,
    Sev2 = 2,
    Sev3 = 3,
    Sev4 = 4,
}

/// <summary>open → acknowledged → resolved; a reassignment reopens on another team.</summary>
public enum EscalationStatus
{
    Open,
    Acknowledged,
    Resolved,
}

/// <summary>A thread the bot can post into later: where it is, what its surface needs to reach it, and a link people can open.</summary>
public sealed record ThreadAddress(ConversationRef Conversation, IReadOnlyDictionary<string, string> SurfaceData, string? Link = null);

/// <summary>How the requester rated a resolved escalation: 1–5, an optional comment (masked), who and when.</summary>
public sealed record EscalationRating(int Score, string? Comment, string By, DateTimeOffset At)
{
    public const int MaxComment = 1_000;
}

/// <summary>One step of an escalation's life, with who and when.</summary>
public sealed record EscalationEvent(EscalationStatus Status, string Team, string By, DateTimeOffset At, string? Note = null);

/// <summary>
/// A tracked escalation: the agent's origin thread, the owning team's thread, and the state between them.
/// Transitions return a new value; an illegal one returns null (the caller says so in chat).
/// </summary>
public sealed record Escalation(
    string Id,
    string Team,
    Severity Severity,
    string? CaseId,
    string Summary,
    string Requester,
    ThreadAddress Origin,
    ThreadAddress? Target,
    EscalationStatus Status,
    IReadOnlyList<EscalationEvent> History,
    DateTimeOffset CreatedAt,
    bool RelayReplies = true)
{
    /// <summary>The requester's platform user id (the name in <see cref="Requester"/> is for people to read).</summary>
    public string? RequesterId { get; init; }

    /// <summary>Who in the owning team has it (a platform user id): from the team's rotation, or whoever pressed Take it.</summary>
    public string? Assignee { get; init; }

    /// <summary>The requester's rating of how it was handled, once resolved.</summary>
    public EscalationRating? Rating { get; init; }

    public static Escalation Open(string id, string team, Severity severity, string? caseId, string summary, string requester, ThreadAddress origin, DateTimeOffset at) =>
        new(id, team, severity, caseId, summary, requester, origin, null, EscalationStatus.Open, [new EscalationEvent(EscalationStatus.Open, team, requester, at)], at);

    /// <summary>When the current team took it (reassignment restarts the SLA clock).</summary>
    public DateTimeOffset AssignedAt => History.Last(e => e.Status == EscalationStatus.Open).At;

    public Escalation? Acknowledge(string by, DateTimeOffset at) =>
        Status == EscalationStatus.Open ? Move(EscalationStatus.Acknowledged, Team, by, at, null) : null;

    public Escalation? Resolve(string by, DateTimeOffset at, string? note = null) =>
        Status != EscalationStatus.Resolved ? Move(EscalationStatus.Resolved, Team, by, at, note) : null;

    public Escalation? Reassign(string team, string by, DateTimeOffset at, string? note = null) =>
        Status != EscalationStatus.Resolved && !string.Equals(team, Team, StringComparison.OrdinalIgnoreCase)
            ? Move(EscalationStatus.Open, team, by, at, note) with { Target = null, Assignee = null }
            : null;

    private Escalation Move(EscalationStatus status, string team, string by, DateTimeOffset at, string? note) =>
        this with { Status = status, Team = team, History = [.. History, new EscalationEvent(status, team, by, at, note)] };
}
