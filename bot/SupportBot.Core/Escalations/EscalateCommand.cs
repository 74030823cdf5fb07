using System.Text.RegularExpressions;

namespace SupportBot.Core.Escalations;

/// <summary>"escalate [to TEAM] [sev1–sev4] [reason]", parsed. Missing parts are null.</summary>
public sealed partial record EscalateCommand(string? Team, Severity? Severity, string? Reason)
{
    public static bool TryParse(string text, out EscalateCommand command)
    {
        ArgumentNullException.ThrowIfNull(text);
        var match = Pattern().Match(text.Trim());
        if (!match.Success)
        {
            command = new EscalateCommand(null, null, null);
            return false;
        }

        Severity? severity = match.Groups["sev"].Success ? (Severity)(match.Groups["sev"].Value[^1] - '0') : null;
        var reason = match.Groups["reason"].Value.Trim(' ', ':', '-', '—');
        command = new EscalateCommand(
            match.Groups["team"].Success ? match.Groups["team"].Value : null,
            severity,
            reason.Length == 0 ? null : reason);
        return true;
    }

    [GeneratedRegex(@"^/?escalate\b(?:\s+to\s+(?<team>[A-Za-z0-9_-]+))?(?:\s+(?<sev>sev[1-4]))?\b(?<reason>.*)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex Pattern();
}
