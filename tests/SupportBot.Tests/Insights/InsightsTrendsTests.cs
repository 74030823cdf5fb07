using Microsoft.Extensions.Options;
using SupportBot.Core.Insights;
using SupportBot.Core.State;

namespace SupportBot.Tests.Insights;

/// <summary>Per-day counters as the in-memory store keeps them, and the trends read from them.</summary>
public sealed class InsightsTrendsTests
{
    private static readonly DateTimeOffset Dec1 = DateTimeOffset.Parse("2026-12-01T23:30:00Z", System.Globalization.CultureInfo.InvariantCulture);
    private static readonly DateOnly Day1 = new(2026, 12, 1);

    private static QuestionRecord Question(DateTimeOffset at, bool confident, string channel, string id) =>
        new(at, "slack", "ann", "How do refunds work?", "…", confident, confident ? 1 : 0, id, channel);

    private static async Task<InMemoryInsightsStore> StoreWithAWeekAsync()
    {
        var store = new InMemoryInsightsStore(Options.Create(new RetentionOptions()));
        // Dec 1: two answered in C1, one declined in C2. Dec 2 (an hour later, after midnight UTC): one declined in C1.
        await store.RecordQuestionAsync(Question(Dec1, true, "C1", "a1"), default);
        await store.RecordQuestionAsync(Question(Dec1, true, "C1", "a2"), default);
        await store.RecordQuestionAsync(Question(Dec1, false, "C2", "a3"), default);
        await store.RecordQuestionAsync(Question(Dec1.AddHours(1), false, "C1", "a4"), default);
        await store.RecordFeedbackAsync(new FeedbackVote("a1", Dec1, "slack", "C1", "u1", Helpful: true), default);
        await store.RecordFeedbackAsync(new FeedbackVote("a2", Dec1, "slack", "C1", "u1", Helpful: false), default);
        await store.RecordFeedbackAsync(new FeedbackVote("a2", Dec1, "slack", "C1", "u1", Helpful: false, FeedbackReason.Outdated), default);
        // A second vote by the same person, and a reason given twice, do not count again.
        await store.RecordFeedbackAsync(new FeedbackVote("a1", Dec1, "slack", "C1", "u1", Helpful: true), default);
        await store.RecordFeedbackAsync(new FeedbackVote("a2", Dec1, "slack", "C1", "u1", Helpful: false, FeedbackReason.Wrong), default);
        // A reason without a prior vote counts the vote too, on the day it was given.
        await store.RecordFeedbackAsync(new FeedbackVote("a4", Dec1.AddHours(1), "teams", "C2", "u2", Helpful: false, FeedbackReason.Outdated), default);
        return store;
    }

    [Fact]
    public async Task Questions_and_votes_are_counted_on_their_utc_day_in_total_and_per_channel()
    {
        var store = await StoreWithAWeekAsync();

        var days = await store.GetDaysAsync(Day1, Day1.AddDays(6), default);

        Assert.Equal([Day1, Day1.AddDays(1)], days.Select(d => d.Day));
        var first = days[0].Counters;
        Assert.Equal(3, first["questions"]);
        Assert.Equal(2, first["answered"]);
        Assert.Equal(1, first["declined"]);
        Assert.Equal(2, first["c:C1:questions"]);
        Assert.Equal(1, first["c:C2:declined"]);
        Assert.Equal(1, first["helpful"]);
        Assert.Equal(1, first["not_helpful"]);
        Assert.Equal(1, first["reason:outdated"]);
        Assert.False(first.ContainsKey("reason:wrong"));
        Assert.Equal(1, days[1].Counters["c:C2:reason:outdated"]);
        Assert.Equal(1, days[1].Counters["c:C1:declined"]);
    }

    [Fact]
    public async Task Trends_fill_every_day_and_sum_the_period()
    {
        var store = await StoreWithAWeekAsync();
        var last = Day1.AddDays(6);

        var report = InsightsTrends.From(await store.GetDaysAsync(Day1, last, default), Day1, last, channel: null);

        Assert.Equal(7, report.Days.Count);
        Assert.Equal(new DayTrend(Day1, 3, 2, 1, 1, 1, 0.5), report.Days[0]);
        Assert.Equal(new DayTrend(Day1.AddDays(1), 1, 0, 1, 0, 1, 0.0), report.Days[1]);
        Assert.Equal(new DayTrend(Day1.AddDays(2), 0, 0, 0, 0, 0, null), report.Days[2]);
        Assert.Equal(new TrendTotals(4, 2, 2, 1, 2, 0.5, 1.0 / 3), report.Totals);
        Assert.Equal(("outdated", 2L), (report.Reasons[0].Reason, report.Reasons[0].Count));
        Assert.Equal(["outdated", "incomplete", "not_answered", "wrong"], report.Reasons.Select(r => r.Reason));
        Assert.Equal(["C1", "C2"], report.Channels);
    }

    [Fact]
    public async Task A_channel_filter_counts_only_that_channel()
    {
        var store = await StoreWithAWeekAsync();

        var report = InsightsTrends.From(await store.GetDaysAsync(Day1, Day1.AddDays(1), default), Day1, Day1.AddDays(1), "C1");

        Assert.Equal([2L, 1L], report.Days.Select(d => d.Questions));
        Assert.Equal([2L, 0L], report.Days.Select(d => d.Answered));
        Assert.Equal(new TrendTotals(3, 2, 1, 1, 1, 2.0 / 3, 0.5), report.Totals);
        Assert.Equal(1, report.Reasons.Single(r => r.Reason == "outdated").Count);
    }

    [Fact]
    public async Task Days_older_than_the_analytics_retention_are_forgotten()
    {
        var store = new InMemoryInsightsStore(Options.Create(new RetentionOptions { Analytics = TimeSpan.FromDays(30) }));
        await store.RecordQuestionAsync(Question(Dec1, true, "C1", "a1"), default);
        await store.RecordQuestionAsync(Question(Dec1.AddDays(45), true, "C1", "a2"), default);

        var days = await store.GetDaysAsync(Day1.AddDays(-1), Day1.AddDays(60), default);

        Assert.Equal([Day1.AddDays(45)], days.Select(d => d.Day));
    }
}
