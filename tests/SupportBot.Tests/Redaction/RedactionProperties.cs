using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using SupportBot.Core.Redaction;

namespace SupportBot.Tests.Redaction;

/// <summary>Properties of the one redactor, over generated card numbers, IBANs, keys, e-mails and surrounding text.</summary>
public sealed class RedactionProperties
{
    private static readonly string[] Separators = ["", " ", "-"];

    /// <summary>A Luhn-valid card number of 13–19 digits, written plain or grouped by fours.</summary>
    private static Gen<string> CardNumbers =>
        from length in Gen.Choose(13, 19)
        from digits in Gen.ArrayOf(Gen.Choose(0, 9), length - 1)
        from separator in Gen.Elements(Separators)
        select Group(WithCheckDigit(digits), separator);

    /// <summary>Text around the data: words without digits, so nothing else looks like an account number.</summary>
    private static Gen<string> Words =>
        Gen.Elements("case", "refund", "declined", "merchant", "payout", "please", "check", "the", "card", "is", "now").ArrayOf().Select(w => string.Join(' ', w));

    private static Gen<string> Ibans =>
        Gen.Elements("DE89370400440532013000", "GB82WEST12345698765432", "FR1420041010050500013M02606", "NL91ABNA0417164300");

    private static Gen<string> SecretKeys =>
        from prefix in Gen.Elements("sk_live_", "rk_live_", "sk_test_", "whsec_", "xoxb-")
        from body in Gen.Elements("abcdefghijklmnopqrstuvwxyzABCDEFGHIJ0123456789".ToCharArray()).ArrayOf().Where(c => c.Length >= 8)
        select prefix + new string(body);

    [Property(MaxTest = 300)]
    public Property Card_numbers_are_never_left_whole_and_keep_their_last_four() =>
        Prop.ForAll(Arb.From(from a in Words from c in CardNumbers from b in Words select (a, c, b)), t =>
        {
            var (before, card, after) = t;
            var masked = SensitiveDataRedactor.Redact($"{before} {card} {after}");
            var digits = new string(card.Where(char.IsAsciiDigit).ToArray());
            return !masked.Contains(card, StringComparison.Ordinal)
                && !masked.Contains(digits, StringComparison.Ordinal)
                && masked.Contains($"[card ••••{digits[^4..]}]", StringComparison.Ordinal);
        });

    [Property(MaxTest = 200)]
    public Property Ibans_and_secret_keys_never_survive() =>
        Prop.ForAll(Arb.From(from w in Words from i in Ibans from k in SecretKeys select (w, i, k)), t =>
        {
            var (words, iban, key) = t;
            var masked = SensitiveDataRedactor.Redact($"{words} {iban} and {key}");
            return !masked.Contains(iban, StringComparison.Ordinal) && !masked.Contains(key, StringComparison.Ordinal);
        });

    [Property(MaxTest = 200)]
    public Property Emails_keep_only_their_first_letter_and_domain() =>
        Prop.ForAll(Arb.From(from l in Gen.Elements("jane.doe", "ops+billing", "x", "m.okafor") from d in Gen.Elements("example.com", "merchant.example", "a.b.example") select (l, d)), t =>
        {
            var (local, domain) = t;
            var masked = SensitiveDataRedactor.Redact($"from {local}@{domain} today");
            return masked == $"from {local[0]}•••@{domain} today";
        });

    [Property(MaxTest = 300)]
    public Property Masking_is_idempotent() =>
        Prop.ForAll(Arb.From(from w in Words from c in CardNumbers from k in SecretKeys select (w, c, k)), t =>
        {
            var once = SensitiveDataRedactor.Redact($"{t.Item1} {t.Item2} {t.Item3}");
            return SensitiveDataRedactor.Redact(once) == once;
        });

    [Property(MaxTest = 300)]
    public Property Text_without_sensitive_data_is_unchanged() =>
        Prop.ForAll(Arb.From(Words), text => SensitiveDataRedactor.Redact(text) == text);

    private static string WithCheckDigit(int[] digits)
    {
        var body = string.Concat(digits);
        for (var check = 0; check <= 9; check++)
        {
            if (SensitiveDataRedactor.IsLuhnValid(body + check))
            {
                return body + check;
            }
        }

        throw new InvalidOperationException("unreachable: one check digit always makes a number Luhn-valid");
    }

    private static string Group(string digits, string separator) =>
        separator.Length == 0 ? digits : string.Join(separator, digits.Chunk(4).Select(c => new string(c)));
}
