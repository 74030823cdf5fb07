using SupportBot.Core.Redaction;

namespace SupportBot.Tests.Redaction;

/// <summary>Card numbers as agents paste them: next to other numbers, with any separator, with expiry and CVV.</summary>
public sealed class CardNumberMaskingTests
{
    [Theory]
    [InlineData("refund 25 4242 4242 4242 4242", "refund 25 [card ••••4242]")]
    [InlineData("case 12345 4111 1111 1111 1111", "case 12345 [card ••••1111]")]
    [InlineData("case 12345 4111111111111111 please", "case 12345 [card ••••1111] please")]
    [InlineData("card 4242.4242.4242.4242 declined", "card [card ••••4242] declined")]
    [InlineData("card 4242/4242/4242/4242 declined", "card [card ••••4242] declined")]
    [InlineData("card 4242\u00A04242\u00A04242\u00A04242 declined", "card [card ••••4242] declined")]
    [InlineData("card 4242\u202F4242\u20094242\u20074242 declined", "card [card ••••4242] declined")]
    [InlineData("card 4242 - 4242 - 4242 - 4242 declined", "card [card ••••4242] declined")]
    [InlineData("ref4242424242424242", "ref[card ••••4242]")]
    [InlineData("4242424242424242abc", "[card ••••4242]abc")]
    [InlineData("amex 3782 822463 10005 ok", "amex [card ••••0005] ok")]
    [InlineData("diners 3056 930902 5904", "diners [card ••••5904]")]
    public void Card_numbers_are_masked_however_they_are_written(string input, string expected) =>
        Assert.Equal(expected, SensitiveDataRedactor.Redact(input));

    [Theory]
    [InlineData("4242 4242 4242 4242/12 123", "[card ••••4242][exp ••/••] [cvv •••]")]
    [InlineData("card 4242 4242 4242 4242 12/27 123", "card [card ••••4242] [exp ••/••] [cvv •••]")]
    [InlineData("card 4242424242424242, exp 12/2027, cvv 123", "card [card ••••4242], exp [exp ••/••], cvv •••")]
    [InlineData("card 4242424242424242 exp: 01/29 cvc: 4567", "card [card ••••4242] exp: [exp ••/••] cvc: •••")]
    public void Expiry_and_cvv_next_to_a_card_are_masked(string input, string expected)
    {
        var masked = SensitiveDataRedactor.Redact(input);
        Assert.StartsWith(expected, masked, StringComparison.Ordinal);
        Assert.DoesNotContain("123", masked, StringComparison.Ordinal);
        Assert.DoesNotContain("4567", masked, StringComparison.Ordinal);
        Assert.DoesNotContain("/27", masked, StringComparison.Ordinal);
    }

    [Fact]
    public void A_card_inside_a_longer_digit_run_is_found()
    {
        // A case number glued to a card: the Luhn-valid window inside the run is masked.
        var masked = SensitiveDataRedactor.Redact("id 98765424242424242424242");
        Assert.DoesNotContain("4242424242424242", masked, StringComparison.Ordinal);
        Assert.Contains("[card ••••", masked, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("４２４２ ４２４２ ４２４２ ４２４２")] // full-width digits
    [InlineData("٤٢٤٢٤٢٤٢٤٢٤٢٤٢٤٢")] // Arabic-Indic digits
    [InlineData("case ４２４２4242424242424242４２")]
    [InlineData("\uD83D\uDCB3 𝟒𝟐𝟒𝟐𝟒𝟐𝟒𝟐𝟒𝟐𝟒𝟐𝟒𝟐𝟒𝟐")]
    [InlineData("account number ４５６７８９ routing ٤٥٦٧٨٩١٢٣")]
    public void Digits_of_other_scripts_never_throw_and_are_not_card_numbers(string input)
    {
        var masked = SensitiveDataRedactor.Redact(input);
        Assert.DoesNotContain("4242424242424242", masked, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Payout po_123 of 25.00 EUR on 2026-11-20 was delayed")]
    [InlineData("case 12345 and case 67890")]
    [InlineData("call +1 415 555 0123")]
    [InlineData("order 424242424241")]
    public void Ordinary_numbers_stay(string input) => Assert.Equal(input, SensitiveDataRedactor.Redact(input));

    [Theory]
    [InlineData("see https://paylane-support.slack.example/archives/C0AGENTS/p1710000000000108 for the thread")]
    [InlineData("<https://teams.microsoft.com/l/message/19:abc@thread.tacv2/1710000000000108?tenantId=x|open>")]
    public void Links_keep_the_digits_of_their_path(string input) => Assert.Equal(input, SensitiveDataRedactor.Redact(input));

    [Fact]
    public void A_card_in_a_link_query_is_still_masked() =>
        Assert.Equal("https://pay.example/checkout?card=[card ••••4242]&x=1", SensitiveDataRedactor.Redact("https://pay.example/checkout?card=4242424242424242&x=1"));

    [Fact]
    public void Clean_text_is_returned_as_the_same_instance()
    {
        var text = "Why is this payout delayed? The merchant says it was due on Friday.";
        Assert.Same(text, SensitiveDataRedactor.Redact(text));
    }

    [Fact]
    public void A_long_message_of_digits_is_masked_in_linear_time()
    {
        var text = string.Concat(Enumerable.Repeat("4242 4242 4242 4242 ", 2_000));
        var masked = SensitiveDataRedactor.Redact(text);
        Assert.Equal(2_000, masked.Split("[card ••••4242]").Length - 1);
    }
}
