using System.Text.RegularExpressions;
using SupportBot.Core.Conversations;

namespace SupportBot.Core.Escalations;

/// <summary>
/// The offline summarizer: the thread's first question is the problem, the bot's last answer is what
/// was tried, a "case 123" anywhere in the thread is the case, and the agent's reason is the ask.
/// </summary>
public sealed partial class HeuristicEscalationSummarizer : IEscalationSummarizer
{
    public Task<EscalationSummary> SummarizeAsync(IReadOnlyList<ConversationTurn> thread, string? reason, string? caseId, CancellationToken cancellationToken) =>
        Task.FromResult(Summarize(thread, reason, caseId));

    public static EscalationSummary Summarize(IReadOnlyList<ConversationTurn> thread, string? reason, string? caseId)
    {
        ArgumentNullException.ThrowIfNull(thread);
        var questions = Questions(thread).ToList();
        var problem = questions.FirstOrDefault() ?? reason ?? "(no question in the thread)";
        caseId ??= CaseIdIn(thread.Select(t => t.Text));
        var ask = reason ?? (questions.Count > 1 ? questions[^1] : "please take a look");
        return new EscalationSummary(EscalationSummary.Clip(problem), Tried(thread), caseId, EscalationSummary.Clip(ask));
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
        return new EscalationSummary(summary.Trim(), Tried(thread), caseId ?? CaseIdIn(thread.Select(t => t.Text)), "please take a look");
    }

    /// <summary>The first question a person asked in the thread, if any.</summary>
    public static string? FirstQuestion(IReadOnlyList<ConversationTurn> thread)
    {
        ArgumentNullException.ThrowIfNull(thread);
        return Questions(thread).FirstOrDefault();
    }

    private static IEnumerable<string> Questions(IReadOnlyList<ConversationTurn> thread) =>
        thread.Where(t => t.Speaker == Speaker.User && IntentClassifier.Classify(t.Text) == IntentKind.Question).Select(t => t.Text);

    /// <summary>What was tried: the bot's last answer in the thread, clipped.</summary>
    private static string Tried(IReadOnlyList<ConversationTurn> thread) =>
        thread.LastOrDefault(t => t.Speaker == Speaker.Bot)?.Text is { } answer
            ? EscalationSummary.Clip($"knowledge-base answer: {answer}")
            : "nothing yet (no knowledge-base answer in the thread)";

    /// <summary>The last "case 123" mentioned in <paramref name="texts"/>.</summary>
    public static string? CaseIdIn(IEnumerable<string> texts) =>
        texts.Select(t => CaseMention().Match(t)).LastOrDefault(m => m.Success)?.Groups["id"].Value;

    /// <summary>Case ids the thread names ("case 12346", "case #12346"), in order of mention.</summary>
    public static IReadOnlyList<string> MentionedCaseIds(IReadOnlyList<ConversationTurn> thread)
    {
        ArgumentNullException.ThrowIfNull(thread);
        return [.. thread.SelectMany(t => CaseMention().Matches(t.Text)).Select(m => m.Groups["id"].Value)];
    }

    [GeneratedRegex(@"\bcase\s*#?(?<id>[0-9]{3,12})\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex CaseMention();
}
