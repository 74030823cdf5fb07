using System.Text.RegularExpressions;
using SupportBot.Core.Conversations;

namespace SupportBot.Core.Escalations;

/// <summary>What a specialist needs first: the problem, what was tried, the case, and the ask.</summary>
public sealed record EscalationSummary(string Problem, string Tried, string? CaseId, string Ask)
{
    public string Render() =>
        $"Problem: {Problem}\nTried: {Tried}\nCase: {CaseId ?? "none given"}\nAsk: {Ask}";
}

/// <summary>
/// The offline summarizer: the thread's first question is the problem, the bot's last answer is what
/// was tried, a "case 123" anywhere in the thread is the case, and the agent's reason is the ask.
/// </summary>
public static partial class EscalationSummarizer
{
    private const int MaxPart = 300;

    public static EscalationSummary Summarize(IReadOnlyList<ConversationTurn> thread, string? reason, string? caseId)
    {
        ArgumentNullException.ThrowIfNull(thread);
        var questions = thread.Where(t => t.Speaker == Speaker.User && IntentClassifier.Classify(t.Text) == IntentKind.Question).ToList();
        var problem = questions.FirstOrDefault()?.Text ?? reason ?? "(no question in the thread)";
        var lastAnswer = thread.LastOrDefault(t => t.Speaker == Speaker.Bot)?.Text;
        var tried = lastAnswer is null ? "nothing yet (no knowledge-base answer in the thread)" : $"knowledge-base answer: {lastAnswer}";
        caseId ??= thread.Select(t => CaseMention().Match(t.Text)).LastOrDefault(m => m.Success)?.Groups["id"].Value;
        var ask = reason ?? (questions.Count > 1 ? questions[^1].Text : "please take a look");
        return new EscalationSummary(Clip(problem), Clip(tried), caseId, Clip(ask));
    }

    /// <summary>
    /// The summary of an escalation started from the form: the agent's own summary is the problem (kept as
    /// written, up to the form's limit), the thread supplies what was tried, and the form's case id wins over
    /// one mentioned in the thread.
    /// </summary>
    public static EscalationSummary FromForm(IReadOnlyList<ConversationTurn> thread, string summary, string? caseId)
    {
        ArgumentNullException.ThrowIfNull(thread);
        ArgumentNullException.ThrowIfNull(summary);
        var lastAnswer = thread.LastOrDefault(t => t.Speaker == Speaker.Bot)?.Text;
        var tried = lastAnswer is null ? "nothing yet (no knowledge-base answer in the thread)" : $"knowledge-base answer: {lastAnswer}";
        return new EscalationSummary(summary.Trim(), Clip(tried), caseId ?? CaseIdIn(thread.Select(t => t.Text)), "please take a look");
    }

    /// <summary>The first question a person asked in the thread, if any.</summary>
    public static string? FirstQuestion(IReadOnlyList<ConversationTurn> thread)
    {
        ArgumentNullException.ThrowIfNull(thread);
        return thread.FirstOrDefault(t => t.Speaker == Speaker.User && IntentClassifier.Classify(t.Text) == IntentKind.Question)?.Text;
    }

    /// <summary>The last "case 123" mentioned in <paramref name="texts"/>.</summary>
    public static string? CaseIdIn(IEnumerable<string> texts) =>
        texts.Select(t => CaseMention().Match(t)).LastOrDefault(m => m.Success)?.Groups["id"].Value;

    private static string Clip(string text)
    {
        var flat = text.ReplaceLineEndings(" ").Trim();
        return flat.Length <= MaxPart ? flat : string.Concat(flat.AsSpan(0, MaxPart - 1), "…");
    }

    [GeneratedRegex(@"\bcase\s*#?(?<id>\d{3,12})\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex CaseMention();
}
