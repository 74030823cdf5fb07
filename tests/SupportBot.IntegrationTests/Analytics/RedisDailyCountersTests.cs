using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;
using SupportBot.Core.Insights;
using SupportBot.Core.State;
using SupportBot.IntegrationTests.Infrastructure;
using SupportBot.Redis;

namespace SupportBot.IntegrationTests.Analytics;

/// <summary>The Redis store counts days exactly as the in-memory default does, votes and reasons once each.</summary>
[Collection(RedisCollection.Name)]
public sealed class RedisDailyCountersTests(SharedRedis redis) : IAsyncLifetime
{
    private static readonly DateTimeOffset Dec1 = DateTimeOffset.Parse("2026-12-01T23:30:00Z", System.Globalization.CultureInfo.InvariantCulture);
    private static readonly DateOnly Day1 = new(2026, 12, 1);

    private ConnectionMultiplexer _redis = null!;

    public async Task InitializeAsync() => _redis = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);

    public async Task DisposeAsync() => await _redis.DisposeAsync();

    private static QuestionRecord Question(DateTimeOffset at, bool confident, string channel, string id) =>
        new(at, "slack", "ann", "How do refunds work?", "…", confident, confident ? 1 : 0, id, channel);

    private static async Task PlayAsync(IInsightsStore store)
    {
        await store.RecordQuestionAsync(Question(Dec1, true, "C1", "a1"), default);
        await store.RecordQuestionAsync(Question(Dec1, true, "C1", "a2"), default);
        await store.RecordQuestionAsync(Question(Dec1, false, "C2", "a3"), default);
        await store.RecordQuestionAsync(Question(Dec1.AddHours(1), false, "C1", "a4"), default);
        await store.RecordFeedbackAsync(new FeedbackVote("a1", Dec1, "slack", "C1", "u1", Helpful: true), default);
        await store.RecordFeedbackAsync(new FeedbackVote("a1", Dec1, "slack", "C1", "u2", Helpful: true), default);
        await store.RecordFeedbackAsync(new FeedbackVote("a2", Dec1, "slack", "C1", "u1", Helpful: false), default);
        await store.RecordFeedbackAsync(new FeedbackVote("a2", Dec1, "slack", "C1", "u1", Helpful: false, FeedbackReason.Outdated), default);
        await store.RecordFeedbackAsync(new FeedbackVote("a1", Dec1, "slack", "C1", "u1", Helpful: false), default);
        await store.RecordFeedbackAsync(new FeedbackVote("a2", Dec1, "slack", "C1", "u1", Helpful: false, FeedbackReason.Wrong), default);
        await store.RecordFeedbackAsync(new FeedbackVote("a1", Dec1, "slack", "C1", "u2", Helpful: false, FeedbackReason.Wrong), default);
        await store.RecordFeedbackAsync(new FeedbackVote("a4", Dec1.AddHours(1), "teams", "C2", "u2", Helpful: false, FeedbackReason.Incomplete), default);
    }

    private static Dictionary<string, long>[] Counters(IReadOnlyList<InsightsDay> days) =>
        [.. days.Select(d => d.Counters.OrderBy(c => c.Key, StringComparer.Ordinal).ToDictionary())];

    [Fact]
    public async Task Redis_counts_each_day_as_the_in_memory_store_does()
    {
        var retention = Options.Create(new RetentionOptions());
        var keys = new RedisKeys(SharedRedis.NewPrefix());
        var inRedis = new RedisInsightsStore(_redis, keys, retention, Options.Create(new SupportBot.Core.Conversations.ConversationOptions()), new FakeTimeProvider(Dec1));
        var inMemory = new InMemoryInsightsStore(retention);

        await PlayAsync(inRedis);
        await PlayAsync(inMemory);

        var redisDays = await inRedis.GetDaysAsync(Day1.AddDays(-3), Day1.AddDays(3), default);
        Assert.Equal([Day1, Day1.AddDays(1)], redisDays.Select(d => d.Day));
        Assert.Equal(Counters(await inMemory.GetDaysAsync(Day1.AddDays(-3), Day1.AddDays(3), default)), Counters(redisDays));
        var first = redisDays[0].Counters;
        Assert.Equal(2, first["helpful"]);
        Assert.Equal(1, first["not_helpful"]);
        Assert.Equal(1, first["reason:outdated"]);
        Assert.False(first.ContainsKey("reason:wrong"));
        Assert.Equal(1, redisDays[1].Counters["c:C2:reason:incomplete"]);
        Assert.Equal(1, redisDays[1].Counters["c:C2:not_helpful"]);

        var ttl = await _redis.GetDatabase().KeyTimeToLiveAsync(keys.InsightsDay(Day1));
        Assert.InRange(ttl!.Value, TimeSpan.FromDays(399), TimeSpan.FromDays(400));
    }
}
