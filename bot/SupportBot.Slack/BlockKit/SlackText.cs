using System.Text;

namespace SupportBot.Slack.BlockKit;

/// <summary>Text made safe for Slack's mrkdwn.</summary>
internal static class SlackText
{
    private static readonly string[] Broadcasts = ["@channel", "@here", "@everyone"];

    /// <summary>
    /// Escapes Slack's three control characters (<c>&amp;</c>, <c>&lt;</c>, <c>&gt;</c>), so no text can form a
    /// link, a mention or <c>&lt;!everyone&gt;</c>; broadcast words get a word joiner so they never notify.
    /// </summary>
    public static string Escape(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var escaped = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            _ = c switch
            {
                '&' => escaped.Append("&amp;"),
                '<' => escaped.Append("&lt;"),
                '>' => escaped.Append("&gt;"),
                _ => escaped.Append(c),
            };
        }

        foreach (var word in Broadcasts)
        {
            escaped.Replace(word, "@\u2060" + word[1..]);
            escaped.Replace(word.ToUpperInvariant(), "@\u2060" + word[1..].ToUpperInvariant());
        }

        return escaped.ToString();
    }

    /// <summary>A link: <c>&lt;url|label&gt;</c>, with the label escaped and without the separator.</summary>
    public static string Link(string url, string label)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(label);
        var safeUrl = url.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "%3C", StringComparison.Ordinal)
            .Replace(">", "%3E", StringComparison.Ordinal).Replace("|", "%7C", StringComparison.Ordinal);
        return $"<{safeUrl}|{Escape(label).Replace('|', '¦')}>";
    }

    /// <summary>
    /// Splits <paramref name="text"/> into pieces of at most <paramref name="max"/> characters at paragraph
    /// breaks, else sentence ends, else spaces; never inside an <c>&amp;…;</c> entity.
    /// </summary>
    public static IReadOnlyList<string> Split(string text, int max)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 16);
        var pieces = new List<string>();
        var rest = text.Trim();
        while (rest.Length > max)
        {
            var cut = LastBreak(rest, max, "\n\n");
            if (cut <= 0)
            {
                cut = LastSentenceEnd(rest, max);
            }

            if (cut <= 0)
            {
                cut = LastBreak(rest, max, "\n");
            }

            if (cut <= 0)
            {
                cut = LastBreak(rest, max, " ");
            }

            if (cut <= 0)
            {
                cut = max;
                var amp = rest.LastIndexOf('&', cut - 1, Math.Min(8, cut));
                if (amp > 0 && rest.IndexOf(';', amp) >= cut)
                {
                    cut = amp;
                }
            }

            pieces.Add(rest[..cut].TrimEnd());
            rest = rest[cut..].TrimStart();
        }

        if (rest.Length > 0)
        {
            pieces.Add(rest);
        }

        return pieces;
    }

    // Index just after the last separator that ends within max characters.
    private static int LastBreak(string text, int max, string separator)
    {
        var at = text.LastIndexOf(separator, max - 1, StringComparison.Ordinal);
        return at <= 0 ? -1 : at + (separator == " " ? 0 : separator.Length);
    }

    private static int LastSentenceEnd(string text, int max)
    {
        for (var i = Math.Min(max, text.Length - 1) - 1; i > 0; i--)
        {
            if (text[i] is '.' or '!' or '?' && char.IsWhiteSpace(text[i + 1]))
            {
                return i + 1;
            }
        }

        return -1;
    }
}
