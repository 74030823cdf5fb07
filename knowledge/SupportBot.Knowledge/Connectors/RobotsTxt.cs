using System.Globalization;
using System.Text;

namespace SupportBot.Knowledge.Connectors;

/// <summary>
/// A site's robots.txt (RFC 9309): the group for our user agent (the most specific matching <c>User-agent</c>, else
/// <c>*</c>; groups naming the same agent are merged), its <c>Allow</c> and <c>Disallow</c> rules with <c>*</c> (any
/// characters) and <c>$</c> (end of the path), the longest matching rule deciding and <c>Allow</c> winning a tie;
/// <c>Crawl-delay</c> and <c>Sitemap</c> lines are read too. <c>/robots.txt</c> itself is always allowed.
/// </summary>
public sealed class RobotsTxt
{
    private readonly List<(bool Allow, string Pattern)> _rules;

    private RobotsTxt(List<(bool Allow, string Pattern)> rules, TimeSpan? crawlDelay, IReadOnlyList<string> sitemaps)
    {
        _rules = rules;
        CrawlDelay = crawlDelay;
        Sitemaps = sitemaps;
    }

    /// <summary>Everything allowed: a site without robots.txt (404).</summary>
    public static RobotsTxt AllowAll { get; } = new([], null, []);

    /// <summary>Nothing allowed: robots.txt could not be read (a 5xx), which RFC 9309 asks crawlers to take as a full disallow.</summary>
    public static RobotsTxt DisallowAll { get; } = new([(false, "/")], null, []);

    public TimeSpan? CrawlDelay { get; }

    public IReadOnlyList<string> Sitemaps { get; }

    public static RobotsTxt Parse(string content, string userAgent)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(userAgent);
        var token = ProductToken(userAgent);
        var groups = new List<(List<string> Agents, List<(bool, string)> Rules, TimeSpan? Delay)>();
        var sitemaps = new List<string>();
        (List<string> Agents, List<(bool, string)> Rules, TimeSpan? Delay)? current = null;
        var lastWasAgent = false;
        foreach (var raw in content.Split('\n'))
        {
            var line = raw;
            var comment = line.IndexOf('#', StringComparison.Ordinal);
            if (comment >= 0)
            {
                line = line[..comment];
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                continue;
            }

            var field = line[..colon].Trim().ToLowerInvariant();
            var value = line[(colon + 1)..].Trim();
            switch (field)
            {
                case "user-agent":
                    if (!lastWasAgent || current is null)
                    {
                        current = ([], [], null);
                        groups.Add(current.Value);
                    }

                    current.Value.Agents.Add(value.ToLowerInvariant());
                    lastWasAgent = true;
                    continue;
                case "allow" or "disallow" when current is not null:
                    if (value.Length > 0)
                    {
                        current.Value.Rules.Add((field == "allow", value));
                    }

                    break;
                case "crawl-delay" when current is not null:
                    if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0)
                    {
                        var index = groups.IndexOf(current.Value);
                        current = (current.Value.Agents, current.Value.Rules, TimeSpan.FromSeconds(Math.Min(seconds, 60)));
                        groups[index] = current.Value;
                    }

                    break;
                case "sitemap":
                    sitemaps.Add(value);
                    break;
            }

            lastWasAgent = false;
        }

        var mine = groups.Where(g => g.Agents.Any(a => a != "*" && ProductToken(a) == token)).ToList();
        if (mine.Count == 0)
        {
            mine = groups.Where(g => g.Agents.Contains("*")).ToList();
        }

        return new RobotsTxt([.. mine.SelectMany(g => g.Rules)], mine.Select(g => g.Delay).FirstOrDefault(d => d is not null), sitemaps);
    }

    /// <summary>Whether our user agent may fetch <paramref name="pathAndQuery"/> (percent-encoded, as in the URL).</summary>
    public bool IsAllowed(string pathAndQuery)
    {
        ArgumentNullException.ThrowIfNull(pathAndQuery);
        var path = pathAndQuery.Length == 0 ? "/" : pathAndQuery;
        if (path == "/robots.txt")
        {
            return true;
        }

        var best = -1;
        var allowed = true;
        foreach (var (allow, pattern) in _rules)
        {
            if (pattern.Length < best || !Matches(Normalize(pattern), path))
            {
                continue;
            }

            if (pattern.Length > best || allow)
            {
                allowed = pattern.Length > best ? allow : allowed || allow;
                best = pattern.Length;
            }
        }

        return allowed;
    }

    /// <summary>The name robots.txt groups are matched against: <c>SupportBot/1.0 (+url)</c> → <c>supportbot</c>.</summary>
    private static string ProductToken(string userAgent)
    {
        var end = userAgent.IndexOfAny(['/', ' ', '(']);
        return (end < 0 ? userAgent : userAgent[..end]).Trim().ToLowerInvariant();
    }

    /// <summary>Percent-encodes what a URL path would (non-ASCII), so a rule written with raw UTF-8 matches the URL.</summary>
    private static string Normalize(string pattern)
    {
        if (pattern.All(c => c < 128))
        {
            return pattern;
        }

        var builder = new StringBuilder();
        Span<byte> bytes = stackalloc byte[4];
        foreach (var rune in pattern.EnumerateRunes())
        {
            if (rune.Value < 128)
            {
                builder.Append((char)rune.Value);
                continue;
            }

            var length = rune.EncodeToUtf8(bytes);
            for (var i = 0; i < length; i++)
            {
                builder.Append('%').Append(bytes[i].ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }

    /// <summary><c>*</c> matches any run of characters, a final <c>$</c> the end; otherwise a rule is a prefix.</summary>
    internal static bool Matches(string pattern, string path)
    {
        var anchored = pattern.EndsWith('$');
        if (anchored)
        {
            pattern = pattern[..^1];
        }

        return Match(pattern, 0, path, 0, anchored);
    }

    private static bool Match(string pattern, int p, string path, int s, bool anchored)
    {
        while (p < pattern.Length)
        {
            if (pattern[p] == '*')
            {
                while (p < pattern.Length && pattern[p] == '*')
                {
                    p++;
                }

                if (p == pattern.Length)
                {
                    return true;
                }

                for (var i = s; i <= path.Length; i++)
                {
                    if (Match(pattern, p, path, i, anchored))
                    {
                        return true;
                    }
                }

                return false;
            }

            if (s >= path.Length || pattern[p] != path[s])
            {
                return false;
            }

            p++;
            s++;
        }

        return !anchored || s == path.Length;
    }
}
