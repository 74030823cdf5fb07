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
}
