using Microsoft.Extensions.Options;
using SupportBot.Core.State;

namespace SupportBot.Core.Insights;

/// <summary>The embedded default: the newest records in this process, and per-day counters for <c>Retention:Analytics</c>.</summary>
internal sealed class InMemoryInsightsStore(IOptions<RetentionOptions> retention) : IInsightsStore
{
    internal const int Capacity = IInsightsStore.RecordsKept;

    private readonly Lock _gate = new();
    private readonly LinkedList<QuestionRecord> _recent = new();
    private readonly LinkedList<QuestionRecord> _gaps = new();
    private readonly LinkedList<FeedbackRecord> _feedback = new();
    private readonly Dictionary<(string Answer, string User), Vote> _votes = [];
    private readonly Dictionary<string, long> _reasons = new(StringComparer.Ordinal);
    private readonly SortedDictionary<DateOnly, Dictionary<string, long>> _days = [];
    private readonly Dictionary<string, string> _answerMessages = new(StringComparer.Ordinal);
    private readonly Queue<string> _answerMessageOrder = new();
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
            Count(record.At, DailyCounters.ForQuestion(record));
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

    /// <summary>Kept for as many messages as answer records (<see cref="Capacity"/>), the oldest forgotten first.</summary>
    public Task LinkAnswerMessageAsync(string surface, string channel, string messageId, string answerId, CancellationToken cancellationToken)
    {
        var key = AnswerMessageKey(surface, channel, messageId);
        lock (_gate)
        {
            if (_answerMessages.TryAdd(key, answerId))
            {
                _answerMessageOrder.Enqueue(key);
                while (_answerMessageOrder.Count > Capacity)
                {
                    _answerMessages.Remove(_answerMessageOrder.Dequeue());
                }
            }
            else
            {
                _answerMessages[key] = answerId;
            }
        }

        return Task.CompletedTask;
    }

    public Task<string?> FindAnswerOfMessageAsync(string surface, string channel, string messageId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_answerMessages.GetValueOrDefault(AnswerMessageKey(surface, channel, messageId)));
        }
    }

    private static string AnswerMessageKey(string surface, string channel, string messageId) => $"{surface}\n{channel}\n{messageId}";

    public async Task<bool> RecordFeedbackAsync(FeedbackVote vote, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(vote);
        var answer = vote.Answer ?? await FindAnswerAsync(vote.AnswerId, cancellationToken);
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
                Count(vote.At, DailyCounters.ForVote(vote.Channel, vote.Helpful));
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
                    Count(vote.At, DailyCounters.ForVote(vote.Channel, helpful: false));
                }

                if (prior != Vote.Reasoned)
                {
                    Count(vote.At, DailyCounters.ForReason(vote.Channel, reason));
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

    public Task<IReadOnlyList<InsightsDay>> GetDaysAsync(DateOnly first, DateOnly last, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            IReadOnlyList<InsightsDay> days =
            [
                .. _days.Where(d => d.Key >= first && d.Key <= last).Select(d => new InsightsDay(d.Key, new Dictionary<string, long>(d.Value, StringComparer.Ordinal))),
            ];
            return Task.FromResult(days);
        }
    }

    /// <summary>Adds one to each field of the day of <paramref name="at"/>; forgets days older than the retention.</summary>
    private void Count(DateTimeOffset at, IReadOnlyList<string> fields)
    {
        var day = DailyCounters.DayOf(at);
        if (!_days.TryGetValue(day, out var counters))
        {
            _days[day] = counters = new Dictionary<string, long>(StringComparer.Ordinal);
            var oldest = DailyCounters.DayOf(at - retention.Value.Analytics);
            foreach (var old in _days.Keys.TakeWhile(d => d < oldest).ToList())
            {
                _days.Remove(old);
            }
        }

        foreach (var field in fields)
        {
            counters[field] = counters.GetValueOrDefault(field) + 1;
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
