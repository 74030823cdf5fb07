namespace SupportBot.Core.Insights;

/// <summary>What agents ask, what went unanswered, and how answers were rated.</summary>
public interface IInsightsStore
{
    Task RecordQuestionAsync(QuestionRecord record, CancellationToken cancellationToken);

    Task RecordFeedbackAsync(bool helpful, CancellationToken cancellationToken);

    Task<InsightsSnapshot> GetSnapshotAsync(int recent, CancellationToken cancellationToken);
}
