using SupportBot.Core.Languages;

namespace SupportBot.Tests.Languages;

public sealed class LanguageDetectorTests
{
    private static readonly LanguageDetector Detector = LanguageDetector.Standard;

    [Theory]
    [InlineData("How long does a refund take to reach the cardholder?", "en")]
    [InlineData("Why is the payout for this merchant delayed again?", "en")]
    [InlineData("Wie lange dauert eine Rückerstattung?", "de")]
    [InlineData("Der Händler sagt, dass die Auszahlung nicht angekommen ist.", "de")]
    [InlineData("Comment répondre à un litige pour un paiement par carte ?", "fr")]
    [InlineData("Le marchand n'a pas reçu son virement, qu'est-ce qu'il doit faire ?", "fr")]
    [InlineData("¿Por qué se retrasa el pago del comerciante?", "es")]
    [InlineData("El cliente dice que no ha recibido el reembolso de la compra.", "es")]
    [InlineData("3Dセキュアの認証に失敗した場合はどうすればいいですか？", "ja")]
    [InlineData("返金にはどのくらい時間がかかりますか", "ja")]
    public void Each_language_is_told_by_its_own_words(string text, string expected)
    {
        Assert.Equal(expected, Detector.Detect(text));
    }

    [Theory]
    [InlineData("")]
    [InlineData("3DS?")]
    [InlineData("refund 429 sk_live")]
    [InlineData("Paylane Dashboard")]
    [InlineData("la API")] // one word that French and Spanish share: no evidence either way
    public void Short_or_ambiguous_text_keeps_the_default(string text)
    {
        Assert.Null(Detector.TryDetect(text));
        Assert.Equal("en", Detector.Detect(text));
        Assert.Equal("de", new LanguageDetector(KnownLanguages.All, "de").Detect(text));
    }

    [Fact]
    public void English_text_full_of_foreign_names_and_initials_stays_english()
    {
        const string roster = "Hon. Steven E. Stone, Hon. Sherry M. Thompson-Taylor, Hon. Victor M. Torres, Hon. Arturo Castro, " +
            "Hon. Jean-Luc De La Cruz and Hon. Maria de los Santos were appointed to the court in 2018 by the governor.";

        Assert.Equal("en", Detector.Detect(roster));
        Assert.Equal("en", Detector.Detect("Born in Sacramento , California , U.S. Occupation ( s ) Musician singer - songwriter"));
    }

    [Fact]
    public void A_disabled_language_is_never_told()
    {
        var englishAndGerman = new LanguageDetector(["en", "de"], "en");

        Assert.Equal("en", englishAndGerman.Detect("¿Por qué se retrasa el pago del comerciante?"));
        Assert.Equal("en", englishAndGerman.Detect("返金にはどのくらい時間がかかりますか"));
        Assert.Equal("de", englishAndGerman.Detect("Wie lange dauert eine Rückerstattung?"));
        Assert.Equal(["en", "de"], englishAndGerman.Enabled);
    }

    [Fact]
    public void A_follow_up_too_short_to_tell_takes_the_language_of_its_thread()
    {
        Assert.Equal("de", Detector.DetectQuestion("Und Kanada?", ["Wie lange dauert eine Auszahlung in den USA?"]));
        Assert.Equal("en", Detector.DetectQuestion("Und Kanada?", []));
        Assert.Equal("fr", Detector.DetectQuestion("Et les frais ?", ["Combien de temps dure un litige pour une carte ?"]));
    }

    [Theory]
    [InlineData("de", "de")]
    [InlineData("de-CH", "de")]
    [InlineData("fr_FR", "fr")]
    [InlineData("Deutsch", "de")]
    [InlineData("Spanish", "es")]
    [InlineData("ja-JP", "ja")]
    [InlineData("日本語", "ja")]
    [InlineData(" EN ", "en")]
    [InlineData("it", null)]
    [InlineData("pt-BR", null)]
    [InlineData("", null)]
    public void Languages_are_named_by_code_locale_or_name(string value, string? expected)
    {
        Assert.Equal(expected, KnownLanguages.Normalize(value));
    }

    [Fact]
    public void An_unknown_language_is_refused()
    {
        Assert.Throws<ArgumentException>(() => new LanguageDetector(["en", "it"], "en"));
        Assert.Throws<ArgumentException>(() => new LanguageDetector(["en"], "klingon"));
    }
}
