using System.Text.Json;
using StackExchange.Redis;
using Microsoft.Extensions.Options;
using SupportBot.Core.Insights;
using SupportBot.Core.State;

namespace SupportBot.Redis;

/// <summary>
/// Dashboard data shared by every replica: capped lists of records and a hash of counters. Records (which
/// carry who asked what) are shown only within <c>Retention:Insights</c>, and their lists expire that long
/// after the last question; the counters hold no personal data and are kept. Per-day counters (a hash per UTC day,
/// <see cref="DailyCounters"/>) are what trends are drawn from; each expires <c>Retention:Analytics</c> after its
/// last count.
/// </summary>
internal sealed class RedisInsightsStore(
    IConnectionMultiplexer redis,
    RedisKeys keys,
    IOptions<RetentionOptions> retention,
    IOptions<SupportBot.Core.Conversations.ConversationOptions> conversations,
    TimeProvider time) : IInsightsStore
{
    private const int Capacity = IInsightsStore.RecordsKept;

    public async Task RecordQuestionAsync(QuestionRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        var json = JsonSerializer.Serialize(record, RedisJson.Default.QuestionRecord);
        var batch = redis.GetDatabase().CreateBatch();
        var writes = new List<Task>
        {
            batch.ListLeftPushAsync(keys.RecentQuestions, json),
            batch.ListTrimAsync(keys.RecentQuestions, 0, Capacity - 1),
            batch.KeyExpireAsync(keys.RecentQuestions, retention.Value.Insights),
            batch.HashIncrementAsync(keys.Totals, "questions"),
            batch.HashIncrementAsync(keys.Totals, record.Confident ? "answered" : "unanswered"),
        };
        var day = keys.InsightsDay(DailyCounters.DayOf(record.At));
        writes.AddRange(DailyCounters.ForQuestion(record).Select(field => batch.HashIncrementAsync(day, field)));
        writes.Add(batch.KeyExpireAsync(day, retention.Value.Analytics));
        if (record.AnswerId is { } answerId)
        {
            // Kept as long as the thread it answered: one key per answer adds up (a million answers a year), and feedback
            // comes within days. A vote on an older answer still counts, without its question and sources.
            writes.Add(batch.StringSetAsync(keys.Answer(answerId), json, conversations.Value.HistoryTtl));
        }

        if (!record.Confident)
        {
            writes.Add(batch.ListLeftPushAsync(keys.Gaps, json));
            writes.Add(batch.ListTrimAsync(keys.Gaps, 0, Capacity - 1));
            writes.Add(batch.KeyExpireAsync(keys.Gaps, retention.Value.Insights));
        }

        batch.Execute();
        await Task.WhenAll(writes).WaitAsync(cancellationToken);
    }

    public async Task<QuestionRecord?> FindAnswerAsync(string answerId, CancellationToken cancellationToken)
    {
        var json = await redis.GetDatabase().StringGetAsync(keys.Answer(answerId)).WaitAsync(cancellationToken);
        return json.IsNullOrEmpty ? null : JsonSerializer.Deserialize((string)json!, RedisJson.Default.QuestionRecord);
    }

    /// <summary>Kept as long as the answer's record (<c>Conversation:HistoryTtl</c>): feedback on an older message counts without it.</summary>
    public Task LinkAnswerMessageAsync(string surface, string channel, string messageId, string answerId, CancellationToken cancellationToken) =>
        redis.GetDatabase().StringSetAsync(keys.AnswerMessage(surface, channel, messageId), answerId, conversations.Value.HistoryTtl).WaitAsync(cancellationToken);

    public async Task<string?> FindAnswerOfMessageAsync(string surface, string channel, string messageId, CancellationToken cancellationToken)
    {
        var value = await redis.GetDatabase().StringGetAsync(keys.AnswerMessage(surface, channel, messageId)).WaitAsync(cancellationToken);
        return value.IsNullOrEmpty ? null : (string?)value;
    }

    /// <summary>
    /// One vote per person and answer, atomically: the vote key says what was counted (h, n, or r once a reason
    /// was given), the totals count it once, as does the day's hash (the fields each count adds to come newline-separated),
    /// and the record goes on the capped feedback list.
    /// </summary>
    private static readonly LuaScript Vote = LuaScript.Prepare(
        """
        local function count(fields)
          for field in string.gmatch(fields, '[^\n]+') do redis.call('HINCRBY', @day, field, 1) end
          redis.call('EXPIRE', @day, @dayttl)
        end
        local prior = redis.call('GET', @vote)
        if @reason == '' then
          if prior then return 0 end
          redis.call('SET', @vote, @helpful == '1' and 'h' or 'n', 'EX', @ttl)
          redis.call('HINCRBY', @totals, @helpful == '1' and 'helpful' or 'notHelpful', 1)
          count(@voted)
        else
          if prior == 'h' then return 0 end
          if not prior then
            redis.call('HINCRBY', @totals, 'notHelpful', 1)
            count(@voted)
          end
          if prior ~= 'r' then
            redis.call('HINCRBY', @totals, 'reason:' .. @reason, 1)
            count(@reasoned)
          end
          redis.call('SET', @vote, 'r', 'EX', @ttl)
        end
        redis.call('LPUSH', @feedback, @record)
        redis.call('LTRIM', @feedback, 0, @capacity - 1)
        redis.call('EXPIRE', @feedback, @ttl)
        return 1
        """);

    public async Task<bool> RecordFeedbackAsync(FeedbackVote vote, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(vote);
        var answer = vote.Answer ?? await FindAnswerAsync(vote.AnswerId, cancellationToken);
        var record = JsonSerializer.Serialize(FeedbackRecord.From(vote, answer), RedisJson.Default.FeedbackRecord);
        var counted = await redis.GetDatabase().ScriptEvaluateAsync(Vote, new
        {
            vote = keys.Vote(vote.AnswerId, vote.User),
            totals = keys.Totals,
            feedback = keys.Feedback,
            day = keys.InsightsDay(DailyCounters.DayOf(vote.At)),
            voted = string.Join('\n', DailyCounters.ForVote(vote.Channel, vote.Reason is null && vote.Helpful)),
            reasoned = vote.Reason is { } given ? string.Join('\n', DailyCounters.ForReason(vote.Channel, given)) : string.Empty,
            dayttl = (long)retention.Value.Analytics.TotalSeconds,
            reason = vote.Reason is { } reason ? FeedbackReasons.Name(reason) : string.Empty,
            helpful = vote.Helpful ? "1" : "0",
            record,
            ttl = (long)retention.Value.Insights.TotalSeconds,
            capacity = Capacity,
        }).WaitAsync(cancellationToken);
        return (long)counted == 1;
    }

    public async Task<InsightsSnapshot> GetSnapshotAsync(int recent, CancellationToken cancellationToken)
    {
        var batch = redis.GetDatabase().CreateBatch();
        var totalsTask = batch.HashGetAllAsync(keys.Totals);
        var recentTask = batch.ListRangeAsync(keys.RecentQuestions, 0, recent - 1);
        var gapsTask = batch.ListRangeAsync(keys.Gaps, 0, recent - 1);
        // Updates of one vote are separate entries: read enough to show `recent` distinct ones.
        var feedbackTask = batch.ListRangeAsync(keys.Feedback, 0, (2 * recent) - 1);
        batch.Execute();
        await Task.WhenAll(totalsTask, recentTask, gapsTask, feedbackTask).WaitAsync(cancellationToken);

        var totals = (await totalsTask).ToDictionary(e => (string)e.Name!, e => (long)e.Value);
        return new InsightsSnapshot(
            new InsightsTotals(
                totals.GetValueOrDefault("questions"),
                totals.GetValueOrDefault("answered"),
                totals.GetValueOrDefault("unanswered"),
                totals.GetValueOrDefault("helpful"),
                totals.GetValueOrDefault("notHelpful"),
                totals.Where(t => t.Key.StartsWith(ReasonField, StringComparison.Ordinal)).ToDictionary(t => t.Key[ReasonField.Length..], t => t.Value)),
            Records(await recentTask),
            Records(await gapsTask))
        {
            Feedback = [.. FeedbackRecords.Newest(FeedbackEntries(await feedbackTask), recent)],
        };
    }

    public async Task<IReadOnlyList<InsightsDay>> GetDaysAsync(DateOnly first, DateOnly last, CancellationToken cancellationToken)
    {
        var batch = redis.GetDatabase().CreateBatch();
        var reads = new List<(DateOnly Day, Task<HashEntry[]> Read)>();
        for (var day = first; day <= last; day = day.AddDays(1))
        {
            reads.Add((day, batch.HashGetAllAsync(keys.InsightsDay(day))));
        }

        batch.Execute();
        await Task.WhenAll(reads.Select(r => r.Read)).WaitAsync(cancellationToken);
        var found = new List<InsightsDay>();
        foreach (var (day, read) in reads)
        {
            if (await read is { Length: > 0 } entries)
            {
                found.Add(new InsightsDay(day, entries.ToDictionary(e => (string)e.Name!, e => (long)e.Value, StringComparer.Ordinal)));
            }
        }

        return found;
    }

    private const string ReasonField = "reason:";

    private IEnumerable<FeedbackRecord> FeedbackEntries(RedisValue[] values)
    {
        var oldest = time.GetUtcNow() - retention.Value.Insights;
        return values.Select(v => JsonSerializer.Deserialize((string)v!, RedisJson.Default.FeedbackRecord)).OfType<FeedbackRecord>().Where(r => r.At >= oldest);
    }

    private List<QuestionRecord> Records(RedisValue[] values)
    {
        var oldest = time.GetUtcNow() - retention.Value.Insights;
        return [.. values.Select(v => JsonSerializer.Deserialize((string)v!, RedisJson.Default.QuestionRecord)).OfType<QuestionRecord>().Where(r => r.At >= oldest)];
    }
}
