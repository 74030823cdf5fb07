using System.Text.Json;
using StackExchange.Redis;
using Microsoft.Extensions.Options;
using SupportBot.Core.Insights;
using SupportBot.Core.State;

namespace SupportBot.Redis;

/// <summary>
/// Dashboard data shared by every replica: capped lists of records and a hash of counters. Records (which
/// carry who asked what) are shown only within <c>Retention:Insights</c>, and their lists expire that long
/// after the last question; the counters hold no personal data and are kept.
/// </summary>
internal sealed class RedisInsightsStore(IConnectionMultiplexer redis, RedisKeys keys, IOptions<RetentionOptions> retention, TimeProvider time) : IInsightsStore
{
    private const int Capacity = 500;

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
        if (!record.Confident)
        {
            writes.Add(batch.ListLeftPushAsync(keys.Gaps, json));
            writes.Add(batch.ListTrimAsync(keys.Gaps, 0, Capacity - 1));
            writes.Add(batch.KeyExpireAsync(keys.Gaps, retention.Value.Insights));
        }

        batch.Execute();
        await Task.WhenAll(writes).WaitAsync(cancellationToken);
    }

    public Task RecordFeedbackAsync(bool helpful, CancellationToken cancellationToken) =>
        redis.GetDatabase().HashIncrementAsync(keys.Totals, helpful ? "helpful" : "notHelpful").WaitAsync(cancellationToken);

    public async Task<InsightsSnapshot> GetSnapshotAsync(int recent, CancellationToken cancellationToken)
    {
        var batch = redis.GetDatabase().CreateBatch();
        var totalsTask = batch.HashGetAllAsync(keys.Totals);
        var recentTask = batch.ListRangeAsync(keys.RecentQuestions, 0, recent - 1);
        var gapsTask = batch.ListRangeAsync(keys.Gaps, 0, recent - 1);
        batch.Execute();
        await Task.WhenAll(totalsTask, recentTask, gapsTask).WaitAsync(cancellationToken);

        var totals = (await totalsTask).ToDictionary(e => (string)e.Name!, e => (long)e.Value);
        return new InsightsSnapshot(
            new InsightsTotals(
                totals.GetValueOrDefault("questions"),
                totals.GetValueOrDefault("answered"),
                totals.GetValueOrDefault("unanswered"),
                totals.GetValueOrDefault("helpful"),
                totals.GetValueOrDefault("notHelpful")),
            Records(await recentTask),
            Records(await gapsTask));
    }

    private List<QuestionRecord> Records(RedisValue[] values)
    {
        var oldest = time.GetUtcNow() - retention.Value.Insights;
        return [.. values.Select(v => JsonSerializer.Deserialize((string)v!, RedisJson.Default.QuestionRecord)).OfType<QuestionRecord>().Where(r => r.At >= oldest)];
    }
}
