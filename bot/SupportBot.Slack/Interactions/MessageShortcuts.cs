namespace SupportBot.Slack.Interactions;

/// <summary>
/// The message shortcuts (a message's "More actions" menu) the manifest declares. Slack sends the chosen one
/// as a <c>message_action</c> payload carrying its <c>callback_id</c>, the message and a <c>trigger_id</c>.
/// </summary>
internal static class MessageShortcuts
{
    /// <summary>Answers the message's text in its thread, as if it had been asked with a mention.</summary>
    public const string Ask = "supportbot.ask";

    /// <summary>Opens the escalation form for the message's thread, its text as the summary.</summary>
    public const string Escalate = "supportbot.escalate";

    /// <summary>On one of the bot's answers: hide, boost or reset an article it cited (curators only).</summary>
    public const string Curate = "supportbot.curate";

    /// <summary>Keeps the message's thread (masked) as knowledge that answers cite as a past thread.</summary>
    public const string SaveThread = "supportbot.save_thread";

    /// <summary>Callback id, name (Slack allows 24 characters) and description, in manifest order.</summary>
    public static readonly IReadOnlyList<(string CallbackId, string Name, string Description)> All =
    [
        (Ask, "Ask SupportBot", "Answer this message in its thread from the knowledge base"),
        (Escalate, "Escalate to a team", "Open the escalation form for this message's thread"),
        (Curate, "Curate sources", "Hide or boost an article this answer cited (curators)"),
        (SaveThread, "Save to knowledge", "Keep this thread (masked) as knowledge answers can cite"),
    ];
}
