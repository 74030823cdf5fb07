using SupportBot.Core.Conversations;
using SupportBot.Core.Redaction;

namespace SupportBot.Core.Escalations;

/// <summary>
/// Says how an escalation was resolved, for the requester's thread. The offline <see cref="LastWordOutcomeSummarizer"/>
/// is the default; with a model configured the model writes it from the team's thread (and falls back to the offline one).
/// </summary>
public interface IOutcomeSummarizer
{
    /// <param name="teamThread">The owning team's thread (masked), oldest first.</param>
    /// <param name="problem">The escalation's summary.</param>
    /// <returns>The outcome, masked and short (at most <see cref="LastWordOutcomeSummarizer.MaxOutcome"/> characters).</returns>
    Task<string> SummarizeAsync(IReadOnlyList<ConversationTurn> teamThread, string problem, CancellationToken cancellationToken);
}

/// <summary>The team's last word in its thread, quoted (masked, shortened); or that the thread holds no notes.</summary>
public sealed class LastWordOutcomeSummarizer : IOutcomeSummarizer
{
    /// <summary>The longest outcome told.</summary>
    public const int MaxOutcome = 400;

    public Task<string> SummarizeAsync(IReadOnlyList<ConversationTurn> teamThread, string problem, CancellationToken cancellationToken) =>
        Task.FromResult(Summarize(teamThread));

    public static string Summarize(IReadOnlyList<ConversationTurn> teamThread)
    {
        ArgumentNullException.ThrowIfNull(teamThread);
        var last = teamThread.LastOrDefault(t => t.Speaker == Speaker.User && !string.IsNullOrWhiteSpace(t.Text));
        return last is null ? "no notes in the team's thread." : "\"" + Shorten(SensitiveDataRedactor.Redact(last.Text.Trim()), MaxOutcome - 2) + "\"";
    }

    public static string Shorten(string text, int max)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Length <= max ? text : text[..(max - 1)] + "…";
    }
}
