namespace SupportBot.Core.Insights;

/// <summary>What agents ask, what went unanswered, and how answers were rated.</summary>
public interface IInsightsStore
{
    /// <summary>How many of the newest records of each kind (questions, gaps, feedback) a store keeps.</summary>
    const int RecordsKept = 500;

    Task RecordQuestionAsync(QuestionRecord record, CancellationToken cancellationToken);

    /// <summary>The answer <paramref name="answerId"/> names, while its record is kept; null otherwise.</summary>
    Task<QuestionRecord?> FindAnswerAsync(string answerId, CancellationToken cancellationToken);

    /// <summary>
    /// Remembers that the platform message <paramref name="messageId"/> in <paramref name="channel"/> of <paramref name="surface"/>
    /// carries answer <paramref name="answerId"/>: feedback a platform attaches to a message (Teams' feedback buttons name only
    /// the message they were pressed under) is then counted for the right answer. Kept as long as the answer's record.
    /// </summary>
    Task LinkAnswerMessageAsync(string surface, string channel, string messageId, string answerId, CancellationToken cancellationToken);

    /// <summary>The answer the platform message carries (<see cref="LinkAnswerMessageAsync"/>), while it is kept; null otherwise.</summary>
    Task<string?> FindAnswerOfMessageAsync(string surface, string channel, string messageId, CancellationToken cancellationToken);

    /// <summary>
    /// Records a vote, or a reason for an earlier "Not helpful". A person's first vote on an answer counts (a second
    /// click, or Helpful then Not helpful, does not); a reason is kept with that vote. False when nothing was counted.
    /// </summary>
    Task<bool> RecordFeedbackAsync(FeedbackVote vote, CancellationToken cancellationToken);

    Task<InsightsSnapshot> GetSnapshotAsync(int recent, CancellationToken cancellationToken);

    /// <summary>
    /// The per-day counters (<see cref="DailyCounters"/>) of the UTC days <paramref name="first"/> to <paramref name="last"/>
    /// inclusive, oldest first; days nothing was counted on are left out.
    /// </summary>
    Task<IReadOnlyList<InsightsDay>> GetDaysAsync(DateOnly first, DateOnly last, CancellationToken cancellationToken);
}
