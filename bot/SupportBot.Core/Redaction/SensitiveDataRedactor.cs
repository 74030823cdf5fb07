using System.Text;
using System.Text.RegularExpressions;

namespace SupportBot.Core.Redaction;

/// <summary>
/// Masks payment and personal data before text reaches logs, the state store, the index or a model:
/// Luhn-valid card numbers however they are written (with the expiry date and CVV next to them), IBANs,
/// labelled bank account and routing numbers, labelled CVV/CVC codes, secret API keys and chat tokens,
/// and e-mail addresses (partly, so an agent can still recognise them).
/// </summary>
/// <remarks>
/// Card numbers are found by <see cref="CardNumberScanner"/>, not a regular expression: agents paste them
/// next to other numbers ("refund 25 4242 4242 4242 4242"), glued to words, with dots, slashes or no-break
/// spaces between groups, so every 13–19 digit window of a digit run is checked. Only ASCII digits form
/// numbers; any other script passes through untouched and never throws.
/// </remarks>
public static partial class SensitiveDataRedactor
{
    /// <summary>Returns <paramref name="text"/> with sensitive data masked; the same instance when there is none.</summary>
    public static string Redact(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text ?? string.Empty;
        }

        var result = text;
        if (MayHaveSecret(result))
        {
            result = SecretKey().Replace(result, m => m.Groups["prefix"].Value + "[redacted]");
        }

        // IBANs first: their mod-97 check is stronger than Luhn, and their digits would otherwise be read as a card.
        var digits = CountAsciiDigits(result);
        if (digits >= MinIbanDigits)
        {
            result = Iban().Replace(result, MaskIban);
        }

        if (digits >= CardNumberScanner.MinDigits)
        {
            var masked = CardNumberScanner.Mask(result);
            if (!ReferenceEquals(masked, result))
            {
                result = ExpiryAfterCard().Replace(masked, m => m.Groups["lead"].Value + "[exp ••/••]");
                result = CvvAfterCard().Replace(result, "[cvv •••]");
                result = DigitsAfterCard().Replace(result, m => DigitToDot().Replace(m.Value, "•"));
            }
        }


        if (result.Contains('@', StringComparison.Ordinal))
        {
            result = Email().Replace(result, m => m.Groups["first"].Value + "•••@" + m.Groups["domain"].Value);
        }

        if (MayHaveLabel(result))
        {
            result = LabelledAccount().Replace(result, m => m.Groups["label"].Value + MaskDigits(m.Groups["number"].Value));
            result = LabelledCvv().Replace(result, m => m.Groups["label"].Value + "•••");
        }

        return result;
    }

    // The shortest IBANs (Norway, 15 characters) carry 13 digits; letters-heavy ones (Malta, Seychelles) fewer.
    private const int MinIbanDigits = 8;

    // Cheap pre-checks keep clean messages (the common case) to a few linear scans with no allocation.
    private static bool MayHaveSecret(string text) =>
        text.Contains("_live_", StringComparison.Ordinal) || text.Contains("_test_", StringComparison.Ordinal)
        || text.Contains("whsec_", StringComparison.Ordinal) || text.Contains("xox", StringComparison.Ordinal)
        || text.Contains("xapp-", StringComparison.Ordinal);

    private static bool MayHaveLabel(string text) => CountAsciiDigits(text, stopAt: 3) >= 3;

    private static int CountAsciiDigits(string text, int stopAt = int.MaxValue)
    {
        var count = 0;
        foreach (var c in text)
        {
            if (char.IsAsciiDigit(c) && ++count >= stopAt)
            {
                break;
            }
        }

        return count;
    }

    // Character classes spell out [0-9]: \d also matches other scripts' digits, which never form numbers here.
    [GeneratedRegex(@"\b[A-Z]{2}[0-9]{2}(?:[ \u00A0\u2009\u202F]?[A-Z0-9]){11,30}\b", RegexOptions.CultureInvariant)]
    private static partial Regex Iban();

    [GeneratedRegex(@"(?<label>\b(?:account|acct|routing|aba|sort code|bsb)(?:\s+(?:number|no\.?|num|#))?\s*[:#]?\s*)(?<number>[0-9](?:[ \-.\u00A0\u2009\u202F]?[0-9]){5,16})(?![0-9])", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex LabelledAccount();

    // A CVV is masked wherever it is labelled as one, card or not: it has no other meaning.
    [GeneratedRegex(@"(?<label>\b(?:cvv2?|cvc2?|cvn|cid|csc|security\s+code)\b[^\S\r\n]*[:#=]?[^\S\r\n]*)[0-9]{3,4}(?![0-9])", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex LabelledCvv();

    // MM/YY or MM/YYYY right after a masked card, labelled or not ("4242… 12/27", "4242…, exp 12/2027"), or the
    // month alone written straight after the number with a slash ("4242…/12").
    [GeneratedRegex(@"(?<lead>\[card ••••[0-9]{4}\][^\S\r\n]*[,;]?[^\S\r\n]*(?:(?:exp(?:iry|ires|iration)?(?:[^\S\r\n]+date)?|valid[^\S\r\n]+(?:thru|through)|good[^\S\r\n]+thru)\.?[^\S\r\n]*:?[^\S\r\n]*)?)(?:/[^\S\r\n]?(?:0?[1-9]|1[0-2])(?:[^\S\r\n]?[/.\-][^\S\r\n]?(?:20)?[0-9]{2})?|(?:0?[1-9]|1[0-2])[^\S\r\n]?[/.\-][^\S\r\n]?(?:20)?[0-9]{2})(?![0-9])", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex ExpiryAfterCard();

    // Three or four digits right after a masked card or expiry: the CVV.
    [GeneratedRegex(@"(?<=\[(?:card ••••[0-9]{4}|exp ••/••)\][^\S\r\n]*[,;/]?[^\S\r\n]*)[0-9]{3,4}(?![0-9])", RegexOptions.CultureInvariant)]
    private static partial Regex CvvAfterCard();

    // Whatever digits are left in the card's own digit run go too, up to 13 of them: the tail of a 19-digit
    // card whose first 16 digits also passed Luhn, an expiry with its year in full and a CVV, written any way.
    [GeneratedRegex(@"(?<=\[(?:card ••••[0-9]{4}|exp ••/••|cvv •••)\])(?:[ \-./_\t\u00A0\u2000-\u200A\u202F\u3000]{0,3}[0-9]){1,13}(?![0-9])", RegexOptions.CultureInvariant)]
    private static partial Regex DigitsAfterCard();

    [GeneratedRegex("[0-9]", RegexOptions.CultureInvariant)]
    private static partial Regex DigitToDot();

    [GeneratedRegex(@"(?<prefix>\b(?:sk|rk)_(?:live|test)_|\bwhsec_|\bxox[abpres]-|\bxapp-)[A-Za-z0-9\-_]{6,}", RegexOptions.CultureInvariant)]
    private static partial Regex SecretKey();

    [GeneratedRegex(@"\b(?<first>[A-Za-z0-9])[A-Za-z0-9._%+\-]*@(?<domain>[A-Za-z0-9.\-]+\.[A-Za-z]{2,})\b", RegexOptions.CultureInvariant)]
    private static partial Regex Email();

    private static string MaskIban(Match match)
    {
        var compact = new StringBuilder(match.Length);
        foreach (var c in match.ValueSpan)
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                compact.Append(c);
            }
        }

        var iban = compact.ToString();
        return iban.Length is >= 15 and <= 34 && IsIbanValid(iban) ? $"[iban {iban[..2]}••••{iban[^4..]}]" : match.Value;
    }

    private static string MaskDigits(string number)
    {
        var digits = new StringBuilder(number.Length);
        foreach (var c in number)
        {
            if (char.IsAsciiDigit(c))
            {
                digits.Append(c);
            }
        }

        return digits.Length <= 4 ? "••••" : "••••" + digits.ToString(digits.Length - 4, 4);
    }

    internal static bool IsLuhnValid(string digits) => CardNumberScanner.IsLuhnValid(digits);

    // ISO 13616: move the first four characters to the end, letters to numbers, mod 97 must be 1.
    internal static bool IsIbanValid(string iban)
    {
        var remainder = 0;
        foreach (var c in string.Concat(iban.AsSpan(4), iban.AsSpan(0, 4)))
        {
            if (char.IsAsciiDigit(c))
            {
                remainder = ((remainder * 10) + (c - '0')) % 97;
            }
            else if (char.IsAsciiLetterUpper(c))
            {
                remainder = ((remainder * 100) + (c - 'A' + 10)) % 97;
            }
            else
            {
                return false;
            }
        }

        return remainder == 1;
    }
}
