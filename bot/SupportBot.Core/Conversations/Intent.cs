namespace SupportBot.Core.Conversations;

/// <summary>What an inbound message asks the bot to do.</summary>
public enum IntentKind
{
    /// <summary>A product question: search and answer.</summary>
    Question,

    /// <summary>"help" or an empty mention: say what the bot can do.</summary>
    Help,
}

/// <summary>Recognises commands in a message; everything else is a question.</summary>
public static class IntentClassifier
{
    private static readonly HashSet<string> HelpWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "help", "/help", "?", "hi", "hello", "hey", "what can you do", "what can you do?", "usage",
    };

    public static IntentKind Classify(string text)
    {
        var trimmed = text.Trim().TrimEnd('!', '.');
        return trimmed.Length == 0 || HelpWords.Contains(trimmed) ? IntentKind.Help : IntentKind.Question;
    }
}
