using System.Text.RegularExpressions;

namespace SupportBot.Core.Conversations;

/// <summary>What an inbound message asks the bot to do.</summary>
public enum IntentKind
{
    /// <summary>A product question: search and answer.</summary>
    Question,

    /// <summary>"help" or an empty mention: say what the bot can do.</summary>
    Help,

    /// <summary>"draft a reply": a customer-ready draft of the thread's answer for the agent to review.</summary>
    DraftReply,

    /// <summary>"case 12345": look the case up.</summary>
    CaseLookup,

    /// <summary>"escalate [to TEAM] [sev1–4] [reason]".</summary>
    Escalate,

    /// <summary>"reassign to TEAM" in an escalation thread.</summary>
    Reassign,

    /// <summary>"relay off" / "relay on" in an escalation thread: stop or resume mirroring replies.</summary>
    Relay,
}

/// <summary>Recognises commands in a message; everything else is a question.</summary>
public static partial class IntentClassifier
{
    private static readonly HashSet<string> HelpWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "help", "/help", "?", "hi", "hello", "hey", "what can you do", "what can you do?", "usage",
    };

    public static IntentKind Classify(string text)
    {
        var trimmed = text.Trim().TrimEnd('!', '.');
        if (trimmed.Length == 0 || HelpWords.Contains(trimmed))
        {
            return IntentKind.Help;
        }

        if (TryCaseId(trimmed, out _))
        {
            return IntentKind.CaseLookup;
        }

        if (Escalations.EscalateCommand.TryParse(trimmed, out _))
        {
            return IntentKind.Escalate;
        }

        if (TryReassignTeam(trimmed, out _))
        {
            return IntentKind.Reassign;
        }

        if (TryRelaySwitch(trimmed, out _))
        {
            return IntentKind.Relay;
        }

        return DraftCommand().IsMatch(trimmed) ? IntentKind.DraftReply : IntentKind.Question;
    }

    /// <summary>"case 12345", "case #12345", "/case 12345": the id asked for.</summary>
    public static bool TryCaseId(string text, out string id)
    {
        var match = CaseCommand().Match(text.Trim());
        id = match.Success ? match.Groups["id"].Value : string.Empty;
        return match.Success;
    }

    /// <summary>"reassign to risk": the team named.</summary>
    public static bool TryReassignTeam(string text, out string team)
    {
        var match = ReassignCommand().Match(text.Trim());
        team = match.Success ? match.Groups["team"].Value : string.Empty;
        return match.Success;
    }

    /// <summary>"relay off" (false) or "relay on" (true).</summary>
    public static bool TryRelaySwitch(string text, out bool on)
    {
        var match = RelayCommand().Match(text.Trim());
        on = match.Success && match.Groups["state"].Value.Equals("on", StringComparison.OrdinalIgnoreCase);
        return match.Success;
    }

    [GeneratedRegex(@"^relay\s+(?<state>on|off)\s*[.!]?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex RelayCommand();

    [GeneratedRegex(@"^reassign\s+(?:it\s+)?to\s+(?<team>[A-Za-z0-9_-]+)\s*[.!]?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ReassignCommand();

    [GeneratedRegex(@"^/?case\s+#?(?<id>[A-Za-z0-9_-]{1,64})\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex CaseCommand();

    [GeneratedRegex(@"^(?:please\s+|can you\s+|could you\s+)?draft\s+(?:me\s+)?(?:a\s+|the\s+)?(?:customer\s+|merchant\s+)?(?:reply|response|answer)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DraftCommand();
}
