using System.Text;
using System.Text.RegularExpressions;

namespace SupportBot.Core.Redaction;

/// <summary>
/// Masks payment and personal data before text reaches logs, the state store or a model:
/// Luhn-valid card numbers, IBANs, labelled bank account and routing numbers, secret API keys and
/// chat tokens, and e-mail addresses (partly, so an agent can still recognise them).
/// </summary>
public static partial class SensitiveDataRedactor
{
    /// <summary>Returns <paramref name="text"/> with sensitive data masked; the same text when there is none.</summary>
    public static string Redact(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text ?? string.Empty;
        }

        var result = SecretKey().Replace(text, m => m.Groups["prefix"].Value + "[redacted]");
        result = CardCandidate().Replace(result, MaskCard);
        result = Iban().Replace(result, MaskIban);
        result = LabelledAccount().Replace(result, m => m.Groups["label"].Value + MaskDigits(m.Groups["number"].Value));
        result = Email().Replace(result, m => m.Groups["first"].Value + "•••@" + m.Groups["domain"].Value);
        return result;
    }

    // A run of 13–19 digits, optionally grouped by single spaces or dashes, not inside a longer number.
    [GeneratedRegex(@"(?<![\d])\d(?:[ -]?\d){12,18}(?![\d])", RegexOptions.CultureInvariant)]
    private static partial Regex CardCandidate();

    [GeneratedRegex(@"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}\b", RegexOptions.CultureInvariant)]
    private static partial Regex Iban();

    [GeneratedRegex(@"(?<label>\b(?:account|acct|routing|aba|sort code|bsb)(?:\s+(?:number|no\.?|num|#))?\s*[:#]?\s*)(?<number>\d(?:[ -]?\d){5,16})\b", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex LabelledAccount();

    [GeneratedRegex(@"(?<prefix>\b(?:sk|rk)_(?:live|test)_|\bwhsec_|\bxox[abpres]-|\bxapp-)[A-Za-z0-9\-_]{6,}", RegexOptions.CultureInvariant)]
    private static partial Regex SecretKey();

    [GeneratedRegex(@"\b(?<first>[A-Za-z0-9])[A-Za-z0-9._%+\-]*@(?<domain>[A-Za-z0-9.\-]+\.[A-Za-z]{2,})\b", RegexOptions.CultureInvariant)]
    private static partial Regex Email();

    private static string MaskCard(Match match)
    {
        var digits = DigitsOf(match.Value);
        return IsLuhnValid(digits) ? $"[card ••••{digits[^4..]}]" : match.Value;
    }

    private static string MaskIban(Match match)
    {
        var compact = match.Value.Replace(" ", string.Empty, StringComparison.Ordinal);
        return compact.Length is >= 15 and <= 34 && IsIbanValid(compact) ? $"[iban {compact[..2]}••••{compact[^4..]}]" : match.Value;
    }

    private static string MaskDigits(string number)
    {
        var digits = DigitsOf(number);
        return digits.Length <= 4 ? "••••" : "••••" + digits[^4..];
    }

    private static string DigitsOf(string value)
    {
        var builder = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            if (char.IsAsciiDigit(c))
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    internal static bool IsLuhnValid(string digits)
    {
        var sum = 0;
        var doubleIt = false;
        for (var i = digits.Length - 1; i >= 0; i--)
        {
            var d = digits[i] - '0';
            if (doubleIt)
            {
                d *= 2;
                if (d > 9)
                {
                    d -= 9;
                }
            }

            sum += d;
            doubleIt = !doubleIt;
        }

        return sum % 10 == 0;
    }

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
