namespace SupportBot.Core.Redaction;

/// <summary>
/// Finds card numbers in text however agents write them and masks each to its last four digits.
/// </summary>
/// <remarks>
/// The text is split into digit runs: ASCII digits joined by at most <see cref="MaxGap"/> separators
/// (spaces of any kind, dashes, dots, slashes, underscores). Inside a run every 13–19 digit window is a
/// candidate, and every window that passes Luhn is masked: a whole run of card length that passes is one card; otherwise three sweeps, so that neighbouring numbers
/// survive where they can: first windows that start on a group of four (or are a whole ungrouped group)
/// and end on a group boundary, as cards are written; then any window on group boundaries; then any window
/// at all, so that no Luhn-valid window of unmasked digits is left (a card glued to a case number). Each
/// sweep runs left to right and takes, at each start, the valid window of the commonest card length, so the cost is linear in the
/// text (at most 7 windows of at most 19 digits per digit).
/// </remarks>
internal static class CardNumberScanner
{
    public const int MinDigits = 13;
    public const int MaxDigits = 19;

    // Where several windows from one start pass Luhn, the commoner card length wins: 16 (Visa, Mastercard,
    // Discover, JCB, UnionPay), 15 (Amex), 14 (Diners), 19, 13, then the rarer 18 and 17.
    private static readonly int[] LengthsByLikelihood = [16, 15, 14, 19, 13, 18, 17];

    // " - " between groups is three characters; more than that is no longer one number.
    private const int MaxGap = 3;

    /// <summary>The text with card numbers masked as <c>[card ••••1234]</c>; the same instance when none is found.</summary>
    public static string Mask(string text)
    {
        System.Text.StringBuilder? output = null;
        var copied = 0;
        var runDigits = new List<int>();
        var i = 0;
        while (i < text.Length)
        {
            if (!char.IsAsciiDigit(text[i]))
            {
                i++;
                continue;
            }

            if (InUrlPath(text, i, out var pathEnd))
            {
                i = pathEnd;
                continue;
            }

            i = ReadRun(text, i, runDigits);
            if (runDigits.Count < MinDigits)
            {
                continue;
            }

            var windows = FindWindows(text, runDigits);
            foreach (var (first, last) in windows)
            {
                output ??= new System.Text.StringBuilder(text.Length);
                var start = runDigits[first];
                var end = runDigits[last];
                output.Append(text, copied, start - copied)
                      .Append("[card ••••")
                      .Append(text[runDigits[last - 3]]).Append(text[runDigits[last - 2]]).Append(text[runDigits[last - 1]]).Append(text[end])
                      .Append(']');
                copied = end + 1;
            }
        }

        if (output is null)
        {
            return text;
        }

        output.Append(text, copied, text.Length - copied);
        return output.ToString();
    }

    /// <summary>
    /// True when <paramref name="at"/> lies in the path of an http(s) link (up to its query or fragment):
    /// permalinks carry long digit runs (a Slack message's ts, a Teams message id) that pass Luhn by chance,
    /// and masking them breaks the link. A card number in a query string or fragment is still masked.
    /// </summary>
    private static bool InUrlPath(string text, int at, out int pathEnd)
    {
        pathEnd = at;
        var start = at;
        while (start > 0 && !IsLinkBoundary(text[start - 1]))
        {
            start--;
        }

        var token = text.AsSpan(start, at - start);
        var scheme = token.IndexOf("://", StringComparison.Ordinal);
        if (scheme < 0 || !(token[..scheme].EndsWith("http", StringComparison.OrdinalIgnoreCase) || token[..scheme].EndsWith("https", StringComparison.OrdinalIgnoreCase))
            || token.IndexOfAny('?', '#') >= 0)
        {
            return false;
        }

        while (pathEnd < text.Length && !IsLinkBoundary(text[pathEnd]) && text[pathEnd] is not ('?' or '#'))
        {
            pathEnd++;
        }

        return true;
    }

    private static bool IsLinkBoundary(char c) => char.IsWhiteSpace(c) || c is '<' or '>' or '(' or ')' or '"' or '\'' or '|' or '[' or ']';

    /// <summary>Collects the positions of one run's digits into <paramref name="digits"/>; returns where the run ends.</summary>
    private static int ReadRun(string text, int start, List<int> digits)
    {
        digits.Clear();
        var i = start;
        var lastDigit = start;
        while (i < text.Length)
        {
            if (char.IsAsciiDigit(text[i]))
            {
                digits.Add(i);
                lastDigit = i;
                i++;
                continue;
            }

            var gap = 0;
            var j = i;
            while (j < text.Length && gap < MaxGap && IsSeparator(text[j]))
            {
                j++;
                gap++;
            }

            if (gap == 0 || j >= text.Length || !char.IsAsciiDigit(text[j]))
            {
                break;
            }

            i = j;
        }

        return lastDigit + 1;
    }

    private static bool IsSeparator(char c) =>
        c is ' ' or '-' or '.' or '/' or '_' or '\t' or '\u00A0' or '\u2007' or '\u2009' or '\u202F' or '\u3000' or '\u2010' or '\u2011' or '\u2012' or '\u2013'
        || (c is >= '\u2000' and <= '\u200A');

    /// <summary>The Luhn-valid windows to mask, as (first, last) digit indexes of the run, in order.</summary>
    private static List<(int First, int Last)> FindWindows(string text, List<int> positions)
    {
        var n = positions.Count;
        var digits = new int[n];
        var groupStart = new bool[n];
        var groupEnd = new bool[n];
        var groupLength = new int[n];
        for (var k = 0; k < n; k++)
        {
            digits[k] = text[positions[k]] - '0';
            groupStart[k] = k == 0 || positions[k] != positions[k - 1] + 1;
            groupEnd[k] = k == n - 1 || positions[k + 1] != positions[k] + 1;
        }

        for (var k = n - 1; k >= 0; k--)
        {
            groupLength[k] = groupEnd[k] ? 1 : groupLength[k + 1] + 1;
        }

        var masked = new bool[n];
        var found = new List<(int, int)>();

        // A run that is one valid number of card length is that card (a 19-digit card whose first 16 also pass).
        if (n <= MaxDigits && IsLuhnValid(digits, 0, n))
        {
            return [(0, n - 1)];
        }

        // As cards are written: a first group of four (4242 4242 …, 3782 822463 10005), or one ungrouped number.
        Sweep((s, e) => groupStart[s] && groupEnd[e] && (groupLength[s] == 4 || groupLength[s] == e - s + 1));
        Sweep((s, e) => groupStart[s] && groupEnd[e]);
        Sweep((_, _) => true);

        found.Sort();
        return found;

        void Sweep(Func<int, int, bool> allowed)
        {
            for (var s = 0; s + MinDigits <= n; s++)
            {
                if (masked[s])
                {
                    continue;
                }

                foreach (var length in LengthsByLikelihood)
                {
                    var e = s + length - 1;
                    if (e >= n || !allowed(s, e) || AnyMasked(masked, s, e) || !IsLuhnValid(digits, s, length))
                    {
                        continue;
                    }

                    Array.Fill(masked, true, s, length);
                    found.Add((s, e));
                    s = e;
                    break;
                }
            }
        }
    }

    private static bool AnyMasked(bool[] masked, int first, int last)
    {
        for (var k = first; k <= last; k++)
        {
            if (masked[k])
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsLuhnValid(int[] digits, int start, int length)
    {
        var sum = 0;
        var doubleIt = false;
        for (var k = start + length - 1; k >= start; k--)
        {
            var d = digits[k];
            if (doubleIt)
            {
                d = d * 2 > 9 ? (d * 2) - 9 : d * 2;
            }

            sum += d;
            doubleIt = !doubleIt;
        }

        return sum % 10 == 0;
    }

    /// <summary>Luhn over a string of ASCII digits (false for anything else).</summary>
    public static bool IsLuhnValid(string digits)
    {
        if (digits.Length == 0)
        {
            return false;
        }

        var values = new int[digits.Length];
        for (var k = 0; k < digits.Length; k++)
        {
            if (!char.IsAsciiDigit(digits[k]))
            {
                return false;
            }

            values[k] = digits[k] - '0';
        }

        return IsLuhnValid(values, 0, values.Length);
    }
}
