using System.Text.Json.Serialization;
using SupportBot.Core.Answering;
using SupportBot.Core.Escalations;

namespace SupportBot.Core.Surfaces;

/// <summary>What kind of reply: renderers style them differently.</summary>
public enum ReplyKind
{
    Answer,
    Help,
    Notice,

    /// <summary>A customer-ready reply for the agent to review and send (the bot never writes to customers).</summary>
    Draft,
}

/// <summary>A button under a reply (feedback, escalate, …). Ids are stable across surfaces; <see cref="Value"/> says what it acts on.</summary>
public sealed record ReplyAction(string Id, string Label, string? Value = null)
{
    public static readonly ReplyAction Helpful = new(ActionIds.Helpful, "Helpful");
    public static readonly ReplyAction NotHelpful = new(ActionIds.NotHelpful, "Not helpful");
    public static readonly ReplyAction DraftReply = new(ActionIds.DraftReply, "Draft customer reply");
    public static readonly ReplyAction Escalate = new(ActionIds.Escalate, "Escalate");

    /// <summary>Under a private answer: posts it to the thread for everyone. The value names the answer.</summary>
    public static ReplyAction Share(string answerId) => new(ActionIds.Share, "Share with the thread", answerId);
}

/// <summary>Who may see a reply.</summary>
public enum ReplyAudience
{
    /// <summary>Everyone who reads the thread.</summary>
    Thread,

    /// <summary>
    /// Only the person who asked: Slack posts it ephemerally, Teams in the requester's personal chat
    /// with the bot; in a direct conversation this is the same as <see cref="Thread"/>.
    /// </summary>
    Requester,
}

/// <summary>Action ids shared by every surface.</summary>
public static class ActionIds
{
    public const string Helpful = "feedback.helpful";
    public const string NotHelpful = "feedback.not_helpful";
    public const string DraftReply = "draft.reply";

    /// <summary>A private answer is posted to the thread for everyone; the value is the answer id.</summary>
    public const string Share = "answer.share";
    public const string Escalate = "escalate";
    public const string EscalationConfirm = "escalation.confirm";
    public const string EscalationAcknowledge = "escalation.acknowledge";
    public const string EscalationResolve = "escalation.resolve";
    public const string EscalationReassign = "escalation.reassign";

    /// <summary>"Save as article" under a resolved escalation in the team's thread: drafts a knowledge article for review.</summary>
    public const string EscalationSaveArticle = "escalation.article";

    /// <summary>"Save to knowledge" on a message: its thread (masked) is kept as a past thread that answers cite.</summary>
    public const string SaveThread = "thread.save";

    /// <summary>"Take it" in the team's thread: the presser is the escalation's assignee.</summary>
    public const string EscalationTake = "escalation.take";

    /// <summary>Why an answer did not help: the value is <c>reason|answerId</c> (<c>FeedbackReasons.Pack</c>), the text an optional comment.</summary>
    public const string FeedbackReason = "feedback.reason";

    /// <summary>A rating button under a resolved escalation: <c>escalation.rate.1</c> … <c>escalation.rate.5</c>, the value signed for it.</summary>
    public const string EscalationRatePrefix = "escalation.rate.";

    /// <summary>A rating's comment (a Slack modal, a Teams card): the value names the escalation, the text is the comment.</summary>
    public const string EscalationRateComment = "escalation.rate.comment";

    public static bool IsEscalationRating(string? id) => id is not null && id.StartsWith(EscalationRatePrefix, StringComparison.Ordinal);

    /// <summary>The escalation form was submitted (a Slack modal, a Teams card): the message text is the summary.</summary>
    public const string EscalationSubmit = "escalation.submit";
}

/// <summary>
/// A platform-neutral reply. Each surface renders it its own way (Block Kit, Adaptive Card, the web
/// chat's JSON) and always keeps a plain-text fallback.
/// </summary>
public sealed record Reply(
    ReplyKind Kind,
    string Text,
    IReadOnlyList<Citation> Citations,
    bool Confident,
    IReadOnlyList<ReplyAction> Actions)
{
    /// <summary>
    /// The escalation form, for surfaces that can show one in a message (a Teams card) instead of the
    /// text and its buttons; other surfaces show the text and buttons. Not kept in reply logs.
    /// </summary>
    [JsonIgnore]
    public EscalationFormPrompt? Form { get; init; }

    /// <summary>
    /// People or user groups to notify with the reply (platform ids: a channel's <c>unansweredTag</c> when the bot could
    /// not answer, an escalation's assignee or lead); Slack mentions them, other surfaces show the text alone.
    /// </summary>
    public IReadOnlyList<string> Notify { get; init; } = [];

    /// <summary>
    /// The answer this reply gives (what feedback on it names, <see cref="FromAnswer"/>); null for other replies. Surfaces whose
    /// native feedback names only the posted message (Teams' feedback buttons) remember which answer a message carries.
    /// </summary>
    public string? AnswerId { get; init; }

    /// <summary>Who may see it; surfaces that cannot reply privately must not send a <see cref="ReplyAudience.Requester"/> reply to a shared thread.</summary>
    public ReplyAudience Audience { get; init; } = ReplyAudience.Thread;

    public static Reply Notice(string text) => new(ReplyKind.Notice, text, [], Confident: true, []);

    /// <summary>A notice for the person who asked or pressed only (<see cref="ReplyAudience.Requester"/>).</summary>
    public static Reply PrivateNotice(string text) => Notice(text) with { Audience = ReplyAudience.Requester };

    /// <summary>
    /// The buttons a surface that runs escalations (Slack, Teams) shows under this reply: its own, and under every
    /// answer a customer-reply draft and Escalate, each once. The one place that decides an answer's buttons.
    /// </summary>
    public IReadOnlyList<ReplyAction> ActionsWithEscalate() => Kind != ReplyKind.Answer
        ? Actions
        : [.. Actions, .. new[] { ReplyAction.DraftReply, ReplyAction.Escalate }.Where(extra => !Actions.Any(a => a.Id == extra.Id))];

    /// <summary>
    /// An answer with its feedback and draft buttons (the web chat shows these; see <see cref="ActionsWithEscalate"/>).
    /// The feedback buttons carry <paramref name="answerId"/>, so a vote names the answer it is about.
    /// </summary>
    public static Reply FromAnswer(Answer answer, string? answerId = null)
    {
        ArgumentNullException.ThrowIfNull(answer);
        return new Reply(
            ReplyKind.Answer,
            answer.Text,
            answer.Citations,
            answer.Confident,
            [ReplyAction.Helpful with { Value = answerId }, ReplyAction.NotHelpful with { Value = answerId }, ReplyAction.DraftReply])
        {
            AnswerId = answerId,
        };
    }
}
