using SupportBot.Knowledge.Articles;

namespace SupportBot.Tests.Knowledge;

public sealed class ChunkingTests
{
    private static string Sentences(int count, string word) =>
        string.Join(' ', Enumerable.Range(1, count).Select(i => $"Sentence {i} is about {word} and says a little more than the last one did."));

    [Fact]
    public void A_long_section_is_cut_at_sentence_ends_into_bounded_overlapping_parts()
    {
        var body = "Short lead.\n\n## Long section\n" + Sentences(120, "payouts");
        var chunks = ArticleChunker.Split(new Article("a", "Payouts", "payouts", "https://kb.example/a", null, "a.md", body));

        var parts = chunks.Where(c => c.Section == "Long section").ToList();
        Assert.True(parts.Count >= 3, $"{parts.Count} parts");
        Assert.All(parts, p => Assert.InRange(p.Text.Length, 1, ArticleChunker.MaxChars));
        Assert.All(parts, p => Assert.EndsWith(".", p.Text, StringComparison.Ordinal));
        for (var i = 1; i < parts.Count; i++)
        {
            // The previous part's last sentence is repeated, and the part starts with an overlapped sentence.
            var lastOfPrevious = parts[i - 1].Text[parts[i - 1].Text.LastIndexOf("Sentence ", StringComparison.Ordinal)..];
            var firstOfThis = parts[i].Text[..(parts[i].Text.IndexOf('.', StringComparison.Ordinal) + 1)];
            Assert.Contains(lastOfPrevious, parts[i].Text, StringComparison.Ordinal);
            Assert.Contains(firstOfThis, parts[i - 1].Text, StringComparison.Ordinal);
            Assert.True(parts[i].Text.IndexOf(lastOfPrevious, StringComparison.Ordinal) < ArticleChunker.OverlapChars);
        }

        Assert.All(chunks, c =>
        {
            Assert.Equal("Payouts", c.Title);
            Assert.Equal("payouts", c.Product);
            Assert.Equal("https://kb.example/a", c.Url);
        });
        Assert.Equal(chunks.Count, chunks.Select(c => c.Id).Distinct().Count());
        Assert.Contains("Sentence 120 is", parts[^1].Text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_run_without_sentence_ends_is_cut_at_spaces()
    {
        var text = string.Join(' ', Enumerable.Repeat("word", 2_000));

        var parts = ArticleChunker.Bound(text).ToList();

        Assert.True(parts.Count > 1);
        Assert.All(parts, p => Assert.InRange(p.Length, 1, ArticleChunker.MaxChars));
        Assert.All(parts, p => Assert.DoesNotContain("wo rd", p, StringComparison.Ordinal));
    }

    [Fact]
    public void A_short_section_stays_whole()
    {
        Assert.Equal(["One. Two."], ArticleChunker.Bound("One. Two."));
    }

    [Fact]
    public void Html_headings_become_sections_and_chrome_is_dropped()
    {
        const string html = """
            <!doctype html><html><head><title>Refund timing</title>
            <meta name="product" content="Payments"><link rel="canonical" href="https://kb.example/refunds"></head>
            <body><nav>Home | Docs</nav><main><h1>Refund timing</h1><p>Refunds take <b>5 to 10</b> days.</p>
            <h2>Partial refunds</h2><ul><li>Any amount up to the charge</li><li>Several per charge</li></ul>
            <h3>Fees</h3><p>Fees are not returned.</p><script>var x = 1;</script></main><footer>© Paylane</footer></body></html>
            """;

        var article = HtmlArticleReader.Read("refunds", "refunds.html", html);
        var chunks = ArticleChunker.Split(article);

        Assert.Equal("Refund timing", article.Title);
        Assert.Equal("payments", article.Product);
        Assert.Equal("https://kb.example/refunds", article.Url);
        Assert.Equal([null, "Partial refunds", "Partial refunds › Fees"], chunks.Select(c => c.Section));
        Assert.Equal("Refunds take 5 to 10 days.", chunks[0].Text);
        Assert.Equal("Any amount up to the charge.\nSeveral per charge.", chunks[1].Text);
        Assert.DoesNotContain(chunks, c => c.Text.Contains("Home", StringComparison.Ordinal) || c.Text.Contains("var x", StringComparison.Ordinal) || c.Text.Contains('©'));
    }

    [Fact]
    public void Html_text_that_looks_like_markdown_stays_text_and_the_page_language_is_kept()
    {
        const string html = """
            <html lang="fr"><head><title>Frais</title></head><body><main>
            <p># 1 priority: *never* share [keys] &lt;sk_live_x&gt;</p>
            <h2>Frais de litige</h2><p>Les frais sont de 15 $.</p>
            </main></body></html>
            """;

        var article = HtmlArticleReader.Read("frais", "frais.html", html);
        var chunks = ArticleChunker.Split(article);

        Assert.Equal("fr", article.Language);
        Assert.Equal([null, "Frais de litige"], chunks.Select(c => c.Section));
        Assert.Equal("# 1 priority: *never* share [keys] <sk_live_x>.", chunks[0].Text);
        Assert.All(chunks, c => Assert.Equal("fr", c.Language));
    }

    [Fact]
    public void A_long_japanese_section_is_cut_at_its_full_stops()
    {
        var body = "## 長いセクション\n" + string.Concat(Enumerable.Range(1, 400).Select(i => $"これは支払いに関する説明の文{i}です。"));

        var parts = ArticleChunker.Split(new Article("ja", "支払い", "payments", string.Empty, null, "ja.md", body));

        Assert.True(parts.Count >= 2, $"{parts.Count} parts");
        Assert.All(parts, p => Assert.InRange(p.Text.Length, 1, ArticleChunker.MaxChars));
        Assert.All(parts, p => Assert.EndsWith("。", p.Text, StringComparison.Ordinal));
        Assert.All(parts, p => Assert.Equal("ja", p.Language));
    }
}
