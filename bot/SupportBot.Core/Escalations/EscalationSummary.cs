namespace SupportBot.Core.Escalations;

/// <summary>What a specialist needs first: the problem, what was tried, the case, and the ask.</summary>
public sealed record EscalationSummary(string Problem, string Tried, string? CaseId, string Ask)
{
    /// <summary>Each part stays short enough to read at a glance in the team's channel.</summary>
    public const int MaxPartLength = 300;

    public string Render() =>
        $"Problem: {Problem}\nTried: {Tried}\nCase: {CaseId ?? "none given"}\nAsk: {Ask}";

    /// <summary>The problem line of a rendered summary (its first line, without "Problem:"); null when it has none.</summary>
    public static string? ProblemOf(string rendered)
    {
        ArgumentNullException.ThrowIfNull(rendered);
        var first = rendered.Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault()?.Replace("Problem:", string.Empty, StringComparison.Ordinal).Trim();
        return string.IsNullOrEmpty(first) ? null : first;
    }

    /// <summary>One line of at most <see cref="MaxPartLength"/> characters, cut with an ellipsis.</summary>
    public static string Clip(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var flat = text.ReplaceLineEndings(" ").Trim();
        return flat.Length <= MaxPartLength ? flat : string.Concat(flat.AsSpan(0, MaxPartLength - 1), "…");
    }
}
