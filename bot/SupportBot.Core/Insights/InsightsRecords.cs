namespace SupportBot.Core.Insights;

/// <summary>One question the bot answered (or could not), as the dashboard shows it. Text is masked.</summary>
public sealed record QuestionRecord(
    DateTimeOffset At,
    string Surface,
    string User,
    string Question,
    string Answer,
    bool Confident,
    int Citations);

/// <summary>Running totals for the dashboard.</summary>
public sealed record InsightsTotals(long Questions, long Answered, long Unanswered, long Helpful, long NotHelpful);

/// <summary>What the dashboard reads in one call.</summary>
public sealed record InsightsSnapshot(InsightsTotals Totals, IReadOnlyList<QuestionRecord> Recent, IReadOnlyList<QuestionRecord> Gaps);
