using SupportBot.Core.Redaction;

namespace SupportBot.Tests.Redaction;

public sealed class SensitiveDataRedactorTests
{
    [Theory]
    [InlineData("card 4242424242424242 declined", "card [card ••••4242] declined")]
    [InlineData("card 4242 4242 4242 4242 declined", "card [card ••••4242] declined")]
    [InlineData("amex 3782-822463-10005", "amex [card ••••0005]")]
    public void Luhn_valid_card_numbers_are_masked_to_the_last_four(string input, string expected) =>
        Assert.Equal(expected, SensitiveDataRedactor.Redact(input));

    [Theory]
    [InlineData("order 4242424241")] // fails the Luhn check, and too short for a card
    [InlineData("case 12345")]
    [InlineData("timestamp 1531420618")]
    public void Numbers_that_are_not_card_numbers_stay(string input) => Assert.Equal(input, SensitiveDataRedactor.Redact(input));

    [Fact]
    public void Iban_is_masked_when_its_checksum_is_valid()
    {
        Assert.Equal("pay to [iban DE••••3000]", SensitiveDataRedactor.Redact("pay to DE89370400440532013000"));
        Assert.Equal("pay to [iban GB••••5432] now", SensitiveDataRedactor.Redact("pay to GB82 WEST 1234 5698 7654 32 now"));
        Assert.Equal("ref DE00370400440532013000", SensitiveDataRedactor.Redact("ref DE00370400440532013000"));
    }

    [Fact]
    public void Labelled_account_and_routing_numbers_keep_only_the_last_four()
    {
        Assert.Equal("account number ••••6789 and routing: ••••0021", SensitiveDataRedactor.Redact("account number 123456789 and routing: 110000021"));
    }

    [Theory]
    [InlineData("key sk_live_51HxYzAbCdEf0123456789", "key sk_live_[redacted]")]
    [InlineData("rk_live_abcdef123456 leaked", "rk_live_[redacted] leaked")]
    [InlineData("token xoxb-1234-5678-abcdef", "token xoxb-[redacted]")]
    public void Secret_keys_and_tokens_are_redacted(string input, string expected) => Assert.Equal(expected, SensitiveDataRedactor.Redact(input));

    [Fact]
    public void Emails_are_masked_in_part() =>
        Assert.Equal("from j•••@example.com today", SensitiveDataRedactor.Redact("from jane.doe+billing@example.com today"));

    [Fact]
    public void Random_card_numbers_never_survive()
    {
        var random = new Random(1234);
        for (var i = 0; i < 500; i++)
        {
            var length = random.Next(13, 20);
            var digits = new char[length];
            for (var d = 0; d < length - 1; d++)
            {
                digits[d] = (char)('0' + random.Next(10));
            }

            // Choose the check digit that makes the number Luhn-valid.
            for (var check = 0; check < 10; check++)
            {
                digits[^1] = (char)('0' + check);
                if (SensitiveDataRedactor.IsLuhnValid(new string(digits)))
                {
                    break;
                }
            }

            var number = new string(digits);
            var masked = SensitiveDataRedactor.Redact($"pan {number} end");
            Assert.DoesNotContain(number, masked, StringComparison.Ordinal);
            Assert.EndsWith($"••••{number[^4..]}] end", masked, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Text_without_sensitive_data_is_unchanged() =>
        Assert.Equal("Why is payout po_123 delayed since 2026-11-20?", SensitiveDataRedactor.Redact("Why is payout po_123 delayed since 2026-11-20?"));
}
