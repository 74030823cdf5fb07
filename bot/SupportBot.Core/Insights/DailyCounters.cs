using System.Globalization;

namespace SupportBot.Core.Insights;

/// <summary>One UTC day's analytics counters, by field (<see cref="DailyCounters"/> names them).</summary>
public sealed record InsightsDay(DateOnly Day, IReadOnlyDictionary<string, long> Counters);

/// <summary>
/// The per-day counters trends are drawn from, kept beside the records so a year of questions is read as a year of
/// small hashes rather than by scanning records. Every metric is counted twice: in total (<c>questions</c>) and for
/// the channel it happened in (<c>c:{channel}:questions</c>).
/// </summary>
public static class DailyCounters
{
    public const string Questions = "questions";
    public const string Answered = "answered";
    public const string Declined = "declined";
    public const string Helpful = "helpful";
    public const string NotHelpful = "not_helpful";
    public const string ReasonPrefix = "reason:";
    public const string ChannelPrefix = "c:";

    /// <summary>The UTC day of <paramref name="at"/>.</summary>
    public static DateOnly DayOf(DateTimeOffset at) => DateOnly.FromDateTime(at.UtcDateTime);

    /// <summary>The day as keys and the API write it: <c>2026-12-04</c>.</summary>
    public static string Name(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>A metric counted for one channel.</summary>
    public static string InChannel(string channel, string field) => $"{ChannelPrefix}{channel}:{field}";

    /// <summary>What a question adds one to.</summary>
    public static IReadOnlyList<string> ForQuestion(QuestionRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return WithChannel(record.Channel, Questions, record.Confident ? Answered : Declined);
    }

    /// <summary>What a counted vote adds one to.</summary>
    public static IReadOnlyList<string> ForVote(string? channel, bool helpful) => WithChannel(channel, helpful ? Helpful : NotHelpful);

    /// <summary>What a counted reason adds one to.</summary>
    public static IReadOnlyList<string> ForReason(string? channel, FeedbackReason reason) => WithChannel(channel, ReasonPrefix + FeedbackReasons.Name(reason));

    /// <summary>The channels a day's counters name (those with questions or votes).</summary>
    public static IEnumerable<string> Channels(IReadOnlyDictionary<string, long> counters)
    {
        ArgumentNullException.ThrowIfNull(counters);
        foreach (var field in counters.Keys)
        {
            foreach (var metric in new[] { Questions, Helpful, NotHelpful })
            {
                var suffix = ":" + metric;
                if (field.StartsWith(ChannelPrefix, StringComparison.Ordinal) && field.EndsWith(suffix, StringComparison.Ordinal) && field.Length > ChannelPrefix.Length + suffix.Length)
                {
                    yield return field[ChannelPrefix.Length..^suffix.Length];
                }
            }
        }
    }

    private static string[] WithChannel(string? channel, params string[] fields) =>
        string.IsNullOrEmpty(channel) ? fields : [.. fields, .. fields.Select(f => InChannel(channel, f))];
}
