using SupportBot.Core.Surfaces;

namespace SupportBot.Teams.Cards;

/// <summary>
/// The verbs of SupportBot's card buttons (<c>Action.Execute</c>), also sent as <c>actionId</c> in the
/// data of the <c>Action.Submit</c> fallback so both paths name the same action; <c>value</c> says what
/// the button acts on (an escalation id, a team to confirm).
/// </summary>
internal static class CardVerbs
{
    public const string DataKey = "actionId";
    public const string ValueKey = "value";
    public const string Helpful = ActionIds.Helpful;
    public const string NotHelpful = ActionIds.NotHelpful;
    public const string Escalate = ActionIds.Escalate;
    public const string DraftReply = ActionIds.DraftReply;

    /// <summary>The escalation form's Escalate button: its data carries the form's inputs.</summary>
    public const string EscalationSubmit = ActionIds.EscalationSubmit;

    /// <summary>The reason form after Not helpful (<see cref="FeedbackCard"/>): its data carries the reason, comment and answer id.</summary>
    public const string FeedbackReason = ActionIds.FeedbackReason;

    public static bool IsFeedback(string? verb) => verb is Helpful or NotHelpful;

    /// <summary>Buttons the pipeline answers (feedback is recorded; the others post a reply in the thread).</summary>
    public static bool IsPipelineAction(string? verb) => ActionIds.IsEscalationRating(verb) || verb is Helpful or NotHelpful or Escalate or DraftReply or ActionIds.Share
        or ActionIds.EscalationConfirm or ActionIds.EscalationAcknowledge or ActionIds.EscalationResolve or ActionIds.EscalationReassign or ActionIds.EscalationTake or ActionIds.EscalationSaveArticle;

    public const string FeedbackThanks = "Thanks, your feedback was recorded.";
    public const string Working = "On it — the answer follows in the thread.";
}
