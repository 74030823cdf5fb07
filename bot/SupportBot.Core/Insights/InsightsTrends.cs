namespace SupportBot.Core.Insights;

/// <summary>One day of the trend: questions (answered or declined) and the votes on answers.</summary>
/// <param name="HelpfulRatio">Helpful votes as a share of all votes that day (0–1); null without votes.</param>
public sealed record DayTrend(DateOnly Day, long Questions, long Answered, long Declined, long Helpful, long NotHelpful, double? HelpfulRatio);

/// <summary>A not-helpful reason and how often it was given in the period.</summary>
public sealed record ReasonCount(string Reason, string Label, long Count);

/// <summary>The period's sums.</summary>
public sealed record TrendTotals(long Questions, long Answered, long Declined, long Helpful, long NotHelpful, double? AnsweredRatio, double? HelpfulRatio);

/// <summary>Trends over a period, for all channels or one.</summary>
/// <param name="Days">Every day of the period, oldest first, zero where nothing happened.</param>
/// <param name="Channels">The channels the period's counters name (for the channel filter).</param>
public sealed record TrendReport(IReadOnlyList<DayTrend> Days, TrendTotals Totals, IReadOnlyList<ReasonCount> Reasons, IReadOnlyList<string> Channels);

/// <summary>Reads trends out of per-day counters.</summary>
public static class InsightsTrends
{
    /// <param name="channel">Only this channel's counts; null or empty for all.</param>
    public static TrendReport From(IEnumerable<InsightsDay> days, DateOnly from, DateOnly to, string? channel)
    {
        ArgumentNullException.ThrowIfNull(days);
        var byDay = days.Where(d => d.Day >= from && d.Day <= to).ToDictionary(d => d.Day, d => d.Counters);
        string Field(string metric) => string.IsNullOrEmpty(channel) ? metric : DailyCounters.InChannel(channel, metric);

        var trend = new List<DayTrend>();
        var reasons = FeedbackReasons.All.ToDictionary(r => r.Name, _ => 0L, StringComparer.Ordinal);
        for (var day = from; day <= to; day = day.AddDays(1))
        {
            var counters = byDay.GetValueOrDefault(day) ?? new Dictionary<string, long>();
            long Get(string metric) => counters.GetValueOrDefault(Field(metric));
            var helpful = Get(DailyCounters.Helpful);
            var notHelpful = Get(DailyCounters.NotHelpful);
            trend.Add(new DayTrend(day, Get(DailyCounters.Questions), Get(DailyCounters.Answered), Get(DailyCounters.Declined), helpful, notHelpful, Ratio(helpful, helpful + notHelpful)));
            foreach (var name in reasons.Keys)
            {
                reasons[name] += Get(DailyCounters.ReasonPrefix + name);
            }
        }

        var questions = trend.Sum(d => d.Questions);
        var answered = trend.Sum(d => d.Answered);
        var votesHelpful = trend.Sum(d => d.Helpful);
        var votesNotHelpful = trend.Sum(d => d.NotHelpful);
        var totals = new TrendTotals(questions, answered, trend.Sum(d => d.Declined), votesHelpful, votesNotHelpful, Ratio(answered, questions), Ratio(votesHelpful, votesHelpful + votesNotHelpful));
        var top = FeedbackReasons.All
            .Select(r => new ReasonCount(r.Name, r.Label, reasons[r.Name]))
            .OrderByDescending(r => r.Count)
            .ThenBy(r => r.Reason, StringComparer.Ordinal)
            .ToList();
        var channels = byDay.Values.SelectMany(DailyCounters.Channels).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return new TrendReport(trend, totals, top, channels);
    }

    private static double? Ratio(long part, long whole) => whole > 0 ? (double)part / whole : null;
}
