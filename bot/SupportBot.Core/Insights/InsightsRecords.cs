namespace SupportBot.Core.Insights;

/// <summary>
/// One question the bot answered (or could not), as the dashboard shows it. Text is masked. <see cref="AnswerId"/>
/// is what feedback on the answer names; <see cref="Sources"/> the titles it cited.
/// </summary>
public sealed record QuestionRecord(
    DateTimeOffset At,
    string Surface,
    string User,
    string Question,
    string Answer,
    bool Confident,
    int Citations,
    string? AnswerId = null,
    string? Channel = null,
    IReadOnlyList<string>? Sources = null,
    string? Thread = null,
    IReadOnlyList<string>? SourceIds = null);

/// <summary>Running totals for the dashboard; <see cref="Reasons"/> counts not-helpful reasons by wire name.</summary>
public sealed record InsightsTotals(long Questions, long Answered, long Unanswered, long Helpful, long NotHelpful, IReadOnlyDictionary<string, long>? Reasons = null);

/// <summary>What the dashboard reads in one call.</summary>
public sealed record InsightsSnapshot(InsightsTotals Totals, IReadOnlyList<QuestionRecord> Recent, IReadOnlyList<QuestionRecord> Gaps)
{
    /// <summary>The newest feedback, one entry per answer and person (a reason given later replaces the bare vote).</summary>
    public IReadOnlyList<FeedbackRecord> Feedback { get; init; } = [];
}

/// <summary>Why an answer did not help: the choices every surface offers after "Not helpful".</summary>
public enum FeedbackReason
{
    Wrong,
    Outdated,
    Incomplete,
    NotAnswered,
}

/// <summary>The reasons' wire names and labels, the same on every surface.</summary>
public static class FeedbackReasons
{
    public static readonly IReadOnlyList<(FeedbackReason Reason, string Name, string Label)> All =
    [
        (FeedbackReason.Wrong, "wrong", "Wrong"),
        (FeedbackReason.Outdated, "outdated", "Outdated"),
        (FeedbackReason.Incomplete, "incomplete", "Incomplete"),
        (FeedbackReason.NotAnswered, "not_answered", "Did not answer the question"),
    ];

    /// <summary>The longest comment kept; longer ones are cut.</summary>
    public const int MaxComment = 1_000;

    public static string Name(FeedbackReason reason) => All.First(r => r.Reason == reason).Name;

    public static string Label(FeedbackReason reason) => All.First(r => r.Reason == reason).Label;

    public static bool TryParse(string? name, out FeedbackReason reason)
    {
        foreach (var (value, wire, _) in All)
        {
            if (string.Equals(wire, name, StringComparison.Ordinal))
            {
                reason = value;
                return true;
            }
        }

        reason = default;
        return false;
    }

    /// <summary>A reason and the answer it is about, in one action value: <c>reason|answerId</c>.</summary>
    public static string Pack(FeedbackReason reason, string answerId) => $"{Name(reason)}|{answerId}";

    public static bool TryUnpack(string? value, out FeedbackReason reason, out string answerId)
    {
        answerId = string.Empty;
        var bar = value?.IndexOf('|', StringComparison.Ordinal) ?? -1;
        if (bar <= 0 || !TryParse(value![..bar], out reason))
        {
            reason = default;
            return false;
        }

        answerId = value[(bar + 1)..];
        return answerId.Length > 0;
    }
}

/// <summary>A person's vote on an answer (and, after "Not helpful", their reason and comment).</summary>
public sealed record FeedbackVote(
    string AnswerId,
    DateTimeOffset At,
    string Surface,
    string Channel,
    string User,
    bool Helpful,
    FeedbackReason? Reason = null,
    string? Comment = null)
{
    /// <summary>The answer's record when the caller looked it up already (stores look it up otherwise).</summary>
    public QuestionRecord? Answer { get; init; }
}

/// <summary>
/// Feedback as stored and shown: the vote with the answer it is about — the masked question, the sources the
/// answer cited, where it was asked. Question and sources are empty when the answer is older than the records kept.
/// </summary>
public sealed record FeedbackRecord(
    string AnswerId,
    DateTimeOffset At,
    string Surface,
    string Channel,
    string User,
    bool Helpful,
    string? Reason,
    string? Comment,
    string Question,
    IReadOnlyList<string> Sources)
{
    public static FeedbackRecord From(FeedbackVote vote, QuestionRecord? answer)
    {
        ArgumentNullException.ThrowIfNull(vote);
        return new FeedbackRecord(
            vote.AnswerId,
            vote.At,
            vote.Surface,
            vote.Channel,
            vote.User,
            vote.Helpful,
            vote.Reason is { } reason ? FeedbackReasons.Name(reason) : null,
            vote.Comment,
            answer?.Question ?? string.Empty,
            answer?.Sources ?? []);
    }
}
