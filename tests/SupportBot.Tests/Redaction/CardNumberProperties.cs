using System.Text;
using System.Text.RegularExpressions;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using SupportBot.Core.Redaction;

namespace SupportBot.Tests.Redaction;

/// <summary>
/// Properties over generated card numbers of every brand, written with any separator, next to words,
/// other numbers, expiry dates and CVVs: no Luhn-valid card number survives, and nothing throws.
/// </summary>
public sealed partial class CardNumberProperties
{
    // (prefix, length, grouping) per brand; grouping as agents write them.
    private static readonly (string Prefix, int Length, int[] Groups)[] Brands =
    [
        ("4", 16, [4, 4, 4, 4]), ("4", 13, [4, 4, 5]), ("4", 19, [4, 4, 4, 4, 3]),
        ("51", 16, [4, 4, 4, 4]), ("55", 16, [4, 4, 4, 4]), ("2221", 16, [4, 4, 4, 4]), ("2720", 16, [4, 4, 4, 4]),
        ("34", 15, [4, 6, 5]), ("37", 15, [4, 6, 5]),
        ("6011", 16, [4, 4, 4, 4]), ("65", 16, [4, 4, 4, 4]), ("644", 16, [4, 4, 4, 4]),
        ("3528", 16, [4, 4, 4, 4]), ("3589", 19, [4, 4, 4, 4, 3]),
        ("36", 14, [4, 6, 4]), ("300", 14, [4, 6, 4]),
        ("62", 16, [4, 4, 4, 4]), ("62", 19, [4, 4, 4, 4, 3]), ("6759", 18, [4, 4, 4, 4, 2]), ("6304", 19, [4, 4, 4, 4, 3]),
    ];

    private static readonly string[] Separators =
        ["", " ", "-", ".", "/", " - ", "\u00A0", "\u202F", "\u2009", "\u2007", "\u3000"];

    private static Gen<string> Cards =>
        from brand in Gen.Elements(Brands)
        from body in Gen.ArrayOf(Gen.Choose(0, 9), brand.Length - brand.Prefix.Length - 1)
        from separator in Gen.Elements(Separators)
        select Write(WithCheckDigit(brand.Prefix + string.Concat(body)), brand.Groups, separator);

    // What stands before or after a card: words, short or long numbers, punctuation, glued or spaced.
    private static Gen<string> Neighbours =>
        Gen.OneOf(
            Gen.Elements("refund", "case", "ref", "card:", "(", "—", "«", "", "merchant's", "#", "order", "ça", "番号", "١٢٣"),
            Gen.Choose(1, 999).Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            Gen.Choose(10_000, 999_999).Select(n => "case " + n.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    private static Gen<string> Glue => Gen.Elements("", " ", "  ", ": ", ", ", "\n");

    [Property(MaxTest = 1_000)]
    public Property No_card_of_any_brand_survives_whatever_surrounds_it() =>
        Prop.ForAll(Arb.From(from before in Neighbours from g1 in Glue from card in Cards from g2 in Glue from after in Neighbours select (before, g1, card, g2, after)), t =>
        {
            var (before, g1, card, g2, after) = t;
            var masked = SensitiveDataRedactor.Redact(before + g1 + card + g2 + after);
            var digits = DigitsOf(card);

            // A number within three separators of the card's digits makes one longer digit run: which 13–19 of
            // them are "the card" cannot always be known, so there only "nothing Luhn-valid survives" is promised.
            var ambiguous = NearDigits(before, g1, fromEnd: true) || NearDigits(after, g2, fromEnd: false);
            return (!HasLuhnWindow(masked)).Label($"a Luhn-valid window survives in '{masked}'")
                .And(!masked.Contains(card, StringComparison.Ordinal)).Label("the card survives")
                .And(ambiguous || masked.Contains($"[card ••••{digits[^4..]}]", StringComparison.Ordinal)).Label($"last four not shown in '{masked}' from '{before + g1 + card + g2 + after}'");
        });

    [Property(MaxTest = 500)]
    public Property Expiry_and_cvv_written_after_a_card_go_with_it() =>
        Prop.ForAll(Arb.From(
            from card in Cards
            from month in Gen.Choose(1, 12)
            from year in Gen.Choose(24, 39)
            from expirySeparator in Gen.Elements("/", "-", " / ")
            from label in Gen.Elements("", "exp ", "exp: ", "expiry ", "valid thru ")
            from cvv in Gen.Choose(100, 9999)
            from cvvLabel in Gen.Elements("", "cvv ", "CVC: ", "cvv2 ")
            select (card, $"{month:00}{expirySeparator}{year}", label, cvv.ToString(System.Globalization.CultureInfo.InvariantCulture), cvvLabel)), t =>
        {
            var (card, expiry, label, cvv, cvvLabel) = t;
            var masked = SensitiveDataRedactor.Redact($"card {card} {label}{expiry} {cvvLabel}{cvv} thanks");
            // The card's mask keeps its last four digits on purpose; a cvv equal to them is not a cvv that survived.
            var outsideCard = Regex.Replace(masked, @"\[card [^\]]*\]", string.Empty);
            return (!masked.Contains(expiry, StringComparison.Ordinal)).Label($"expiry survives in '{masked}'")
                .And(!Regex.IsMatch(outsideCard, $"(?<![0-9]){cvv}(?![0-9])")).Label($"cvv survives in '{masked}'")
                .And(masked.EndsWith(" thanks", StringComparison.Ordinal)).Label("the text after is kept");
        });

    [Property(MaxTest = 1_000)]
    public Property Any_text_in_any_script_is_masked_without_throwing() =>
        Prop.ForAll(Arb.From(Gen.ArrayOf(Gen.OneOf(
            Gen.Choose(0, 0xD7FF).Select(c => ((char)c).ToString()),
            Gen.Elements("\uD83D\uDCB3", "\uD835\uDFD2", "\uD800", "\uDC00", "４", "٤", "०", "\u0301", "0", "9", " ", "-", "/", "\u00A0", "@", "_")))
            .Select(parts => string.Concat(parts))), text =>
        {
            var masked = SensitiveDataRedactor.Redact(text);
            return !HasLuhnWindow(masked) && SensitiveDataRedactor.Redact(masked) == masked;
        });

    [Property(MaxTest = 300)]
    public Property Digits_of_other_scripts_are_left_as_they_are() =>
        Prop.ForAll(Arb.From(Gen.ArrayOf(Gen.Elements('４', '٤', '०', '৪', '๔', '߄')).Select(c => new string(c))), text =>
            SensitiveDataRedactor.Redact(text) == text);

    private static bool NearDigits(string neighbour, string glue, bool fromEnd) =>
        !glue.Contains('\n', StringComparison.Ordinal) && neighbour.Any(char.IsAsciiDigit)
        && (fromEnd ? neighbour.TrimEnd(' ', ':', ',')[^1..].Any(char.IsAsciiDigit) || neighbour.EndsWith(':') || neighbour.EndsWith(',') : char.IsAsciiDigit(neighbour[0]));

    /// <summary>Independent of the scanner: any 13–19 window of a digit run (≤3 separators between digits) that passes Luhn.</summary>
    private static bool HasLuhnWindow(string text)
    {
        foreach (Match run in DigitRun().Matches(text))
        {
            var digits = DigitsOf(run.Value);
            for (var start = 0; start < digits.Length; start++)
            {
                for (var length = 13; length <= 19 && start + length <= digits.Length; length++)
                {
                    if (SensitiveDataRedactor.IsLuhnValid(digits.Substring(start, length)))
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }

    [GeneratedRegex(@"[0-9](?:[ \-./_\t\u00A0\u2000-\u200A\u202F\u3000\u2010-\u2013]{0,3}[0-9])*")]
    private static partial Regex DigitRun();

    private static string DigitsOf(string value) => new([.. value.Where(char.IsAsciiDigit)]);

    private static string WithCheckDigit(string body)
    {
        for (var check = 0; check <= 9; check++)
        {
            if (SensitiveDataRedactor.IsLuhnValid(body + check))
            {
                return body + check;
            }
        }

        throw new InvalidOperationException("unreachable: one check digit always makes a number Luhn-valid");
    }

    private static string Write(string digits, int[] groups, string separator)
    {
        if (separator.Length == 0)
        {
            return digits;
        }

        var text = new StringBuilder();
        var at = 0;
        foreach (var size in groups)
        {
            if (at >= digits.Length)
            {
                break;
            }

            if (at > 0)
            {
                text.Append(separator);
            }

            text.Append(digits, at, Math.Min(size, digits.Length - at));
            at += size;
        }

        return text.ToString();
    }
}
