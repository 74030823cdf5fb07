namespace SupportBot.Core.Conversations;

/// <summary>Who spoke a turn.</summary>
public static class Speaker
{
    public const string User = "user";
    public const string Bot = "bot";
}

/// <summary>One turn of a thread's history, as kept in the state store (already masked).</summary>
/// <param name="UserId">Who spoke a user turn: lets <c>supportbot erase --user</c> find the user's conversations.</param>
public sealed record ConversationTurn(string Speaker, string Text, DateTimeOffset At, string? MessageId = null, string? UserId = null);

/// <summary>What a thread's history says about the bot's part in it.</summary>
public static class ConversationHistory
{
    /// <summary>True when the bot has answered in the thread: its follow-ups are answered without a mention.</summary>
    public static bool HasBotTurn(this IEnumerable<ConversationTurn> history) => history.Any(t => t.Speaker == Speaker.Bot);

    /// <summary>What people (not the bot) wrote in the thread, oldest first, trimmed and masked; empty turns left out.</summary>
    public static List<string> PeopleSaid(this IEnumerable<ConversationTurn> history) =>
        [.. history.Where(t => t.Speaker == Speaker.User && !string.IsNullOrWhiteSpace(t.Text)).Select(t => Redaction.SensitiveDataRedactor.Redact(t.Text.Trim()))];
}
