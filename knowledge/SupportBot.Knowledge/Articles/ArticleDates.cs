using System.Globalization;

namespace SupportBot.Knowledge.Articles;

/// <summary>An article's <c>updated</c> date, as front matter writes it and the index stores it.</summary>
public static class ArticleDates
{
    private const string Stored = "yyyy-MM-dd";

    /// <summary>
    /// The date of <paramref name="value"/>: <c>2024-03-01</c>, or a date and time (its date in UTC);
    /// null when empty or not a date.
    /// </summary>
    public static DateOnly? Parse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var text = value.Trim().Trim('"', '\'');
        if (DateOnly.TryParseExact(text, Stored, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var moment)
            ? DateOnly.FromDateTime(moment.UtcDateTime)
            : null;
    }

    /// <summary>
    /// True when <paramref name="updated"/> is more than <paramref name="staleAfter"/> (whole days, rounded up)
    /// before <paramref name="today"/>; never when either is unset, or the age is zero.
    /// </summary>
    public static bool IsStale(DateOnly? updated, TimeSpan? staleAfter, DateOnly today) =>
        updated is { } date && staleAfter is { } age && age > TimeSpan.Zero && date < today.AddDays(-(int)Math.Ceiling(age.TotalDays));

    public static string Format(DateOnly date) => date.ToString(Stored, CultureInfo.InvariantCulture);
}
