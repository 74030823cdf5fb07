using System.Globalization;

namespace SupportBot.Slack;

/// <summary>Slack's message timestamps (<c>"1610241741.000200"</c>): Unix seconds, then a per-channel sequence.</summary>
internal static class SlackTimestamps
{
    public static DateTimeOffset ToDateTime(string ts)
    {
        var seconds = ts.AsSpan();
        var dot = seconds.IndexOf('.');
        if (dot >= 0)
        {
            seconds = seconds[..dot];
        }

        return long.TryParse(seconds, NumberStyles.None, CultureInfo.InvariantCulture, out var unix)
            ? DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(unix, 0, 253_402_300_799))
            : DateTimeOffset.UnixEpoch;
    }
}
