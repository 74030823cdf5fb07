using System.Globalization;
using System.Text.RegularExpressions;
using SupportBot.Core.Answering;

namespace SupportBot.Llm.Grounding;

/// <summary>
/// Checks and cleans what a model wrote before anyone sees it: only <c>[n]</c> markers that name a
/// passage survive, renumbered in order of first use, and the citation list is built from those;
/// broadcast mentions and links that are not citations are removed (the output is text, never markup).
/// </summary>
internal static partial class GroundedOutput
{
    public sealed record Checked(string Text, IReadOnlyList<Citation> Citations);

    public static Checked Check(string output, IReadOnlyList<SearchHit> passages)
    {
        ArgumentNullException.ThrowIfNull(passages);
        var renumbered = new Dictionary<int, int>();
        var text = Markers().Replace(Sanitize(output), match =>
        {
            var kept = new List<int>();
            foreach (var part in match.Groups["n"].Value.Split(','))
            {
                if (int.TryParse(part.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1 && n <= passages.Count)
                {
                    if (!renumbered.TryGetValue(n, out var mapped))
                    {
                        mapped = renumbered.Count + 1;
                        renumbered[n] = mapped;
                    }

                    kept.Add(mapped);
                }
            }

            // A marker that names no passage goes with the space before it.
            return kept.Count == 0
                ? string.Empty
                : match.Groups["ws"].Value + string.Concat(kept.Distinct().Select(n => $"[{n.ToString(CultureInfo.InvariantCulture)}]"));
        });

        text = SpaceBeforePunctuation().Replace(text, "$1").Trim();
        var citations = renumbered
            .OrderBy(p => p.Value)
            .Select(p => Citation.Of(p.Value, passages[p.Key - 1]))
            .ToList();
        return new Checked(text, citations);
    }

    /// <summary>Plain text only: no broadcast mentions, no links except as bare words.</summary>
    public static string Sanitize(string output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var text = SlackSpecial().Replace(output, m => m.Groups["label"].Success ? m.Groups["label"].Value : string.Empty);
        text = MarkdownLink().Replace(text, "${text}");
        text = Url().Replace(text, "[link removed]");
        text = Broadcast().Replace(text, "${word}");
        return text;
    }

    [GeneratedRegex(@"(?<ws>[ \t]*)\[(?<n>[0-9]+(?:\s*,\s*[0-9]+)*)\]", RegexOptions.CultureInvariant)]
    private static partial Regex Markers();

    [GeneratedRegex(@"\s+([.,;:!?])", RegexOptions.CultureInvariant)]
    private static partial Regex SpaceBeforePunctuation();

    // <!channel>, <!here|here>, <https://x|label>, <@U123>: Slack's control sequences.
    [GeneratedRegex(@"<[!@#][^>|]*(?:\|(?<label>[^>]*))?>|<https?://[^>|]*(?:\|(?<label>[^>]*))?>", RegexOptions.CultureInvariant)]
    private static partial Regex SlackSpecial();

    [GeneratedRegex(@"!?\[(?<text>[^\]]+)\]\((?:https?://|mailto:)[^)]*\)", RegexOptions.CultureInvariant)]
    private static partial Regex MarkdownLink();

    [GeneratedRegex(@"\b(?:https?://|www\.)\S+", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex Url();

    [GeneratedRegex(@"@(?<word>channel|here|everyone)\b", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex Broadcast();
}
