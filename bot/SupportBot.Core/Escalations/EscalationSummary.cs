namespace SupportBot.Core.Escalations;

/// <summary>What a specialist needs first: the problem, what was tried, the case, and the ask.</summary>
public sealed record EscalationSummary(string Problem, string Tried, string? CaseId, string Ask)
{
    /// <summary>Each part stays short enough to read at a glance in the team's channel.</summary>
    public const int MaxPartLength = 300;

    public string Render() =>
        $"Problem: {Problem}\nTried: {Tried}\nCase: {CaseId ?? "none given"}\nAsk: {Ask}";

    /// <summary>One line of at most <see cref="MaxPartLength"/> characters, cut with an ellipsis.</summary>
    public static string Clip(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var flat = text.ReplaceLineEndings(" ").Trim();
        return flat.Length <= MaxPartLength ? flat : string.Concat(flat.AsSpan(0, MaxPartLength - 1), "…");
    }
}
