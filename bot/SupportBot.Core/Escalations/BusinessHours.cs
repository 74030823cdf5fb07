using System.Globalization;

namespace SupportBot.Core.Escalations;

/// <summary>
/// A team's working time: the days and hours it works in its time zone, and its holidays. SLA windows of a route with
/// business hours are counted in this time only (an 8h resolution window opened on Friday at 16:00 in a 09:00–17:00
/// week ends on Monday at 16:00).
/// </summary>
public sealed record BusinessHours(TimeZoneInfo Zone, IReadOnlySet<DayOfWeek> Days, TimeOnly From, TimeOnly To, IReadOnlySet<DateOnly> Holidays)
{
    /// <summary>How far ahead a deadline is looked for before giving up (a year of closed days is a configuration mistake).</summary>
    private const int MaxDays = 400;

    /// <summary>The moment <paramref name="duration"/> of working time after <paramref name="start"/>.</summary>
    public DateTimeOffset Add(DateTimeOffset start, TimeSpan duration)
    {
        var remaining = duration;
        var day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(start, Zone).DateTime);
        for (var i = 0; i < MaxDays; i++, day = day.AddDays(1))
        {
            if (Window(day) is not { } window)
            {
                continue;
            }

            var (opens, closes) = window;
            var cursor = start > opens ? start : opens;
            if (cursor >= closes)
            {
                continue;
            }

            var available = closes - cursor;
            if (remaining <= available)
            {
                return cursor + remaining;
            }

            remaining -= available;
        }

        return start + duration; // no working time found: fall back to the wall clock rather than never
    }

    /// <summary>True when <paramref name="at"/> falls in working time.</summary>
    public bool IsOpen(DateTimeOffset at)
    {
        var day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, Zone).DateTime);
        return Window(day) is { } window && at >= window.Opens && at < window.Closes;
    }

    /// <summary>The working window of a local day, in absolute time; null on a day off or a holiday.</summary>
    private (DateTimeOffset Opens, DateTimeOffset Closes)? Window(DateOnly day)
    {
        if (!Days.Contains(day.DayOfWeek) || Holidays.Contains(day))
        {
            return null;
        }

        return (Absolute(day.ToDateTime(From)), Absolute(day.ToDateTime(To)));
    }

    private DateTimeOffset Absolute(DateTime local)
    {
        // A local time skipped by a daylight-saving change is taken an hour later; an ambiguous one as its first occurrence.
        if (Zone.IsInvalidTime(local))
        {
            local = local.AddHours(1);
        }

        var offset = Zone.IsAmbiguousTime(local) ? Zone.GetAmbiguousTimeOffsets(local).Max() : Zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset);
    }

    private static readonly Dictionary<string, DayOfWeek> DayNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ["mon"] = DayOfWeek.Monday, ["tue"] = DayOfWeek.Tuesday, ["wed"] = DayOfWeek.Wednesday, ["thu"] = DayOfWeek.Thursday,
        ["fri"] = DayOfWeek.Friday, ["sat"] = DayOfWeek.Saturday, ["sun"] = DayOfWeek.Sunday,
    };

    /// <summary>Reads a routes file's <c>hours</c> and <c>holidays</c>; <paramref name="where"/> names the route in errors.</summary>
    public static BusinessHours Parse(string? zone, IReadOnlyList<string>? days, string? from, string? to, IReadOnlyList<string>? holidays, string where)
    {
        TimeZoneInfo timeZone;
        try
        {
            timeZone = TimeZoneInfo.FindSystemTimeZoneById(string.IsNullOrWhiteSpace(zone) ? "UTC" : zone.Trim());
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw new RoutesException($"{where}: hours.zone '{zone}' is not a time zone (e.g. Europe/Berlin, America/New_York)");
        }

        var workDays = new HashSet<DayOfWeek>();
        foreach (var name in days is { Count: > 0 } ? days : ["mon", "tue", "wed", "thu", "fri"])
        {
            if (!DayNames.TryGetValue(name.Trim(), out var day))
            {
                throw new RoutesException($"{where}: hours.days '{name}' is not one of mon, tue, wed, thu, fri, sat, sun");
            }

            workDays.Add(day);
        }

        var opens = Time(from ?? "09:00", where, "hours.from");
        var closes = Time(to ?? "17:00", where, "hours.to");
        if (closes <= opens)
        {
            throw new RoutesException($"{where}: hours.to must be after hours.from");
        }

        var closed = new HashSet<DateOnly>();
        foreach (var holiday in holidays ?? [])
        {
            if (!DateOnly.TryParseExact(holiday.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                throw new RoutesException($"{where}: holiday '{holiday}' is not a date like 2026-12-25");
            }

            closed.Add(date);
        }

        return new BusinessHours(timeZone, workDays, opens, closes, closed);
    }

    private static TimeOnly Time(string text, string where, string key) =>
        TimeOnly.TryParseExact(text.Trim(), "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var time)
            ? time
            : throw new RoutesException($"{where}: {key} '{text}' is not a time like 09:00");
}
