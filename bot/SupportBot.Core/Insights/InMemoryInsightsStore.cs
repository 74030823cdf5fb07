namespace SupportBot.Core.Insights;

/// <summary>The embedded default: the newest records in this process.</summary>
internal sealed class InMemoryInsightsStore : IInsightsStore
{
    internal const int Capacity = 500;

    private readonly Lock _gate = new();
    private readonly LinkedList<QuestionRecord> _recent = new();
    private readonly LinkedList<QuestionRecord> _gaps = new();
    private readonly LinkedList<FeedbackRecord> _feedback = new();
    private readonly Dictionary<(string Answer, string User), Vote> _votes = [];
    private readonly Dictionary<string, long> _reasons = new(StringComparer.Ordinal);
    private long _questions;
    private long _answered;
    private long _helpful;
    private long _notHelpful;

    private enum Vote
    {
        Helpful,
        NotHelpful,
        Reasoned,
    }

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

    public Task<QuestionRecord?> FindAnswerAsync(string answerId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_recent.FirstOrDefault(r => r.AnswerId == answerId));
        }
    }

    public async Task<bool> RecordFeedbackAsync(FeedbackVote vote, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(vote);
        var answer = await FindAnswerAsync(vote.AnswerId, cancellationToken);
        lock (_gate)
        {
            var key = (vote.AnswerId, vote.User);
            var prior = _votes.TryGetValue(key, out var p) ? p : (Vote?)null;
            if (vote.Reason is not { } reason)
            {
                if (prior is not null)
                {
                    return false;
                }

                _votes[key] = vote.Helpful ? Vote.Helpful : Vote.NotHelpful;
                if (vote.Helpful)
                {
                    _helpful++;
                }
                else
                {
                    _notHelpful++;
                }
            }
            else
            {
                if (prior == Vote.Helpful)
                {
                    return false;
                }

                if (prior is null)
                {
                    _notHelpful++;
                }

                if (prior != Vote.Reasoned)
                {
                    var name = FeedbackReasons.Name(reason);
                    _reasons[name] = _reasons.GetValueOrDefault(name) + 1;
                }

                _votes[key] = Vote.Reasoned;
            }

            Push(_feedback, FeedbackRecord.From(vote, answer));
            return true;
        }
    }

    public Task<InsightsSnapshot> GetSnapshotAsync(int recent, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var totals = new InsightsTotals(_questions, _answered, _questions - _answered, _helpful, _notHelpful, new Dictionary<string, long>(_reasons));
            return Task.FromResult(new InsightsSnapshot(totals, [.. _recent.Take(recent)], [.. _gaps.Take(recent)])
            {
                Feedback = [.. FeedbackRecords.Newest(_feedback, recent)],
            });
        }
    }

    private static void Push<T>(LinkedList<T> list, T record)
    {
        list.AddFirst(record);
        if (list.Count > Capacity)
        {
            list.RemoveLast();
        }
    }
}

/// <summary>Reading feedback lists, which hold every update newest first.</summary>
public static class FeedbackRecords
{
    /// <summary>The newest entry per answer and person, newest first, at most <paramref name="count"/>.</summary>
    public static IEnumerable<FeedbackRecord> Newest(IEnumerable<FeedbackRecord> newestFirst, int count)
    {
        ArgumentNullException.ThrowIfNull(newestFirst);
        var seen = new HashSet<(string, string)>();
        return newestFirst.Where(f => seen.Add((f.AnswerId, f.User))).Take(count);
    }
}
