namespace SupportBot.Core.Conversations;

/// <summary>Who spoke a turn.</summary>
public static class Speaker
{
    public const string User = "user";
    public const string Bot = "bot";
}

/// <summary>One turn of a thread's history, as kept in the state store (already masked).</summary>
public sealed record ConversationTurn(string Speaker, string Text, DateTimeOffset At, string? MessageId = null);
