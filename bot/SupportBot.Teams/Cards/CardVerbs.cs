using SupportBot.Core.Surfaces;

namespace SupportBot.Teams.Cards;

/// <summary>
/// The verbs of SupportBot's card buttons (<c>Action.Execute</c>), also sent as <c>actionId</c> in the
/// data of the <c>Action.Submit</c> fallback so both paths name the same action.
/// </summary>
internal static class CardVerbs
{
    public const string DataKey = "actionId";
    public const string Helpful = ActionIds.Helpful;
    public const string NotHelpful = ActionIds.NotHelpful;
    public const string Escalate = "escalation.start";
    public const string DraftReply = "draft.reply";

    public static bool IsFeedback(string? verb) => verb is Helpful or NotHelpful;

    /// <summary>Buttons whose capability has not landed yet: pressing them says so plainly.</summary>
    public static bool IsNotAvailableYet(string? verb) => verb is Escalate or DraftReply;

    public const string NotAvailableYet = "That isn't available in Teams yet: escalation and reply drafting are coming. For now, please escalate through your usual process.";
    public const string FeedbackThanks = "Thanks, your feedback was recorded.";
}
