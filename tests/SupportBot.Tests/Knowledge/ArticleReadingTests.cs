using SupportBot.Knowledge.Articles;

namespace SupportBot.Tests.Knowledge;

public sealed class ArticleReadingTests
{
    private const string Sample = """
        ---
        title: "Responding to a dispute"
        product: Disputes
        url: https://kb.example/disputes/responding
        updated: 2026-09-14
        ---
        Disputes need a response before the **Respond by** date.

        ## How to submit evidence
        1. Open [the dispute](https://dash.example/d).
        2. Upload `receipts` and tracking.

        ### Files
        - PDF, JPEG or PNG
        ## When to escalate
        Escalate to the disputes team when the deadline is today.
        """;

    [Fact]
    public void Front_matter_gives_title_product_url_and_date()
    {
        var article = MarkdownArticleReader.Read("responding", "responding.md", Sample);

        Assert.Equal("Responding to a dispute", article.Title);
        Assert.Equal("disputes", article.Product);
        Assert.Equal("https://kb.example/disputes/responding", article.Url);
        Assert.Equal("2026-09-14", article.Updated);
        Assert.StartsWith("Disputes need", article.Body, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_front_matter_the_first_heading_is_the_title()
    {
        var article = MarkdownArticleReader.Read("x", "x.md", "# Instant payouts\n\nArrive in 30 minutes.");

        Assert.Equal("Instant payouts", article.Title);
        Assert.Equal("general", article.Product);
    }

    [Fact]
    public void Chunks_follow_headings_and_keep_the_section_path()
    {
        var chunks = ArticleChunker.Split(MarkdownArticleReader.Read("responding", "responding.md", Sample));

        Assert.Equal([null, "How to submit evidence", "How to submit evidence › Files", "When to escalate"], chunks.Select(c => c.Section));
        Assert.All(chunks, c => Assert.Equal("Responding to a dispute", c.Title));
        Assert.Equal(chunks.Count, chunks.Select(c => c.Id).Distinct().Count());
    }

    [Fact]
    public void Chunk_text_is_plain_with_one_sentence_per_list_item()
    {
        var chunks = ArticleChunker.Split(MarkdownArticleReader.Read("responding", "responding.md", Sample));

        Assert.Equal("Disputes need a response before the Respond by date.", chunks[0].Text);
        Assert.Equal("Open the dispute.\nUpload receipts and tracking.", chunks[1].Text);
        Assert.Equal("PDF, JPEG or PNG.", chunks[2].Text);
    }

    [Fact]
    public void Front_matter_is_yaml_with_quotes_colons_lists_and_the_language()
    {
        const string content = """
            ---
            title: 'Payouts: schedules and delays'
            area: Payouts
            tags: [payouts, schedules]
            updated: "2026-04-22"
            lang: de-CH
            url: https://kb.example/payouts # the canonical page
            ---
            # Auszahlungen

            Text.
            """;

        var article = MarkdownArticleReader.Read("payouts", "payouts.md", content);

        Assert.Equal("Payouts: schedules and delays", article.Title);
        Assert.Equal("payouts", article.Product);
        Assert.Equal("https://kb.example/payouts", article.Url);
        Assert.Equal("2026-04-22", article.Updated);
        Assert.Equal("de-CH", article.Language);
        Assert.StartsWith("# Auszahlungen", article.Body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("language: fr", "fr")]
    [InlineData("locale: ja-JP", "ja")]
    [InlineData("lang: Spanish", "es")]
    [InlineData("language: it", "en")] // a language the index does not analyse: the default's analyzer
    public void The_declared_language_decides_the_passages_language(string line, string expected)
    {
        var article = MarkdownArticleReader.Read("a", "a.md", $"---\ntitle: Refunds\n{line}\n---\nRefunds take 5 to 10 business days.");

        Assert.All(ArticleChunker.Split(article), c => Assert.Equal(expected, c.Language));
    }

    [Fact]
    public void Without_a_declared_language_the_text_tells_it()
    {
        var german = MarkdownArticleReader.Read("a", "a.md", "# Rückerstattungen\n\nEine Rückerstattung dauert 5 bis 10 Werktage und ist bis zu 180 Tage nach der Zahlung möglich.");
        var english = MarkdownArticleReader.Read("b", "b.md", "# Refunds\n\nA refund takes 5 to 10 business days.");

        Assert.Null(german.Language);
        Assert.Equal("de", ArticleChunker.LanguageOf(german, SupportBot.Core.Languages.LanguageDetector.Standard));
        Assert.All(ArticleChunker.Split(german), c => Assert.Equal("de", c.Language));
        Assert.All(ArticleChunker.Split(english), c => Assert.Equal("en", c.Language));
    }

    [Fact]
    public void Front_matter_that_is_not_yaml_is_read_as_flat_lines()
    {
        const string content = "---\ntitle: Fees: what we charge: and why\nproduct: Billing\nbroken: [unclosed\n---\nBody text.";

        var article = MarkdownArticleReader.Read("fees", "fees.md", content);

        Assert.Equal("Fees: what we charge: and why", article.Title);
        Assert.Equal("billing", article.Product);
        Assert.Equal("Body text.", article.Body);
    }

    [Fact]
    public void A_hash_inside_a_code_block_is_not_a_heading_and_the_code_is_kept()
    {
        const string content = """
            # Webhooks

            Verify every event.

            ## Verifying signatures

            ```bash
            # compute the expected signature
            openssl dgst -sha256 -hmac "$SECRET"
            ```

            > ## Not a section either
            > Quoted advice.
            """;

        var chunks = ArticleChunker.Split(MarkdownArticleReader.Read("webhooks", "webhooks.md", content));

        Assert.Equal([null, "Verifying signatures"], chunks.Select(c => c.Section));
        Assert.Equal("Webhooks", chunks[0].Title);
        Assert.Equal("Verify every event.", chunks[0].Text);
        Assert.Equal("# compute the expected signature openssl dgst -sha256 -hmac \"$SECRET\".\nNot a section either.\nQuoted advice.", chunks[1].Text);
    }

    [Fact]
    public void Each_table_row_is_a_sentence_of_its_own()
    {
        const string content = """
            ## Decline codes

            | Code | Meaning | Next step |
            |---|---|---|
            | `insufficient_funds` | The card has **insufficient** funds | Ask for another card |
            | do_not_honor | Generic decline | Contact the [issuer](https://bank.example) |
            """;

        var chunk = Assert.Single(ArticleChunker.Split(MarkdownArticleReader.Read("declines", "declines.md", content)));

        Assert.Equal("Decline codes", chunk.Section);
        Assert.Equal(
            "Code; Meaning; Next step.\ninsufficient_funds; The card has insufficient funds; Ask for another card.\ndo_not_honor; Generic decline; Contact the issuer.",
            chunk.Text);
    }

    [Fact]
    public void Passage_ids_follow_reading_order_and_stay_the_same_on_every_read()
    {
        var first = ArticleChunker.Split(MarkdownArticleReader.Read("responding", "responding.md", Sample));
        var second = ArticleChunker.Split(MarkdownArticleReader.Read("responding", "responding.md", Sample));

        Assert.Equal(["responding#0", "responding#1", "responding#2", "responding#3"], first.Select(c => c.Id));
        Assert.Equal(first, second);
    }

    [Fact]
    public void The_sample_articles_in_other_languages_are_read_as_those_languages()
    {
        var kb = Path.Combine(AppContext.BaseDirectory, "samples", "kb");
        string LanguageOf(string file) =>
            ArticleChunker.Split(MarkdownArticleReader.Read(file, file, File.ReadAllText(Path.Combine(kb, file)))).Select(c => c.Language).Distinct().Single();

        Assert.Equal("de", LanguageOf("de/rueckerstattungen.md"));
        Assert.Equal("fr", LanguageOf("fr/repondre-a-un-litige.md"));
        Assert.Equal("es", LanguageOf("es/por-que-se-retrasa-un-pago.md")); // declares none: told from its text
        Assert.Equal("ja", LanguageOf("ja/3d-secure-failures.md"));
        Assert.Equal("en", LanguageOf("refunds.md"));
    }
}
