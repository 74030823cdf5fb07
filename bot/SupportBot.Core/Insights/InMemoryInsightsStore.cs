namespace SupportBot.Core.Insights;

/// <summary>The embedded default: the newest records in this process.</summary>
internal sealed class InMemoryInsightsStore : IInsightsStore
{
    internal const int Capacity = 500;

    private readonly Lock _gate = new();
    private readonly LinkedList<QuestionRecord> _recent = new();
    private readonly LinkedList<QuestionRecord> _gaps = new();
    private long _questions;
    private long _answered;
    private long _helpful;
    private long _notHelpful;

    public Task RecordQuestionAsync(QuestionRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        lock (_gate)
        {
            _questions++;
            Push(_recent, record);
            if (record.Confident)
            {
                _answered++;
            }
            else
            {
                Push(_gaps, record);
            }
        }

        return Task.CompletedTask;
    }

    public Task RecordFeedbackAsync(bool helpful, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (helpful)
            {
                _helpful++;
            }
            else
            {
                _notHelpful++;
            }
        }

        return Task.CompletedTask;
    }

    public Task<InsightsSnapshot> GetSnapshotAsync(int recent, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var totals = new InsightsTotals(_questions, _answered, _questions - _answered, _helpful, _notHelpful);
            return Task.FromResult(new InsightsSnapshot(totals, [.. _recent.Take(recent)], [.. _gaps.Take(recent)]));
        }
    }

    private static void Push(LinkedList<QuestionRecord> list, QuestionRecord record)
    {
        list.AddFirst(record);
        if (list.Count > Capacity)
        {
            list.RemoveLast();
        }
    }
}
