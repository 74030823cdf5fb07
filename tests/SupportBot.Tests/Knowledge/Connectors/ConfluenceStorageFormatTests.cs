using SupportBot.Knowledge.Articles;
using SupportBot.Knowledge.Connectors;

namespace SupportBot.Tests.Knowledge.Connectors;

public sealed class ConfluenceStorageFormatTests
{
    [Fact]
    public void Headings_paragraphs_and_lists_become_markdown()
    {
        var text = Text("""
            <h1>Refund windows</h1><p>Refunds are allowed for <strong>180 days</strong>.</p>
            <ul><li>Card payments</li><li>Bank transfers</li></ul>
            """);

        Assert.Contains("## Refund windows", text, StringComparison.Ordinal);
        Assert.Contains("Refunds are allowed for 180 days.", text, StringComparison.Ordinal);
        Assert.Contains("Card payments", text, StringComparison.Ordinal);
        Assert.Contains("Bank transfers", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Panels_keep_their_content_and_code_keeps_its_cdata_text()
    {
        var text = Text("""
            <ac:structured-macro ac:name="info" ac:schema-version="1"><ac:parameter ac:name="title">Heads up</ac:parameter>
            <ac:rich-text-body><p>Partial refunds settle in two days.</p></ac:rich-text-body></ac:structured-macro>
            <ac:structured-macro ac:name="code"><ac:parameter ac:name="language">bash</ac:parameter>
            <ac:plain-text-body><![CDATA[curl -X POST /v1/refunds --data "amount=<500>"]]></ac:plain-text-body></ac:structured-macro>
            """);

        Assert.Contains("Heads up", text, StringComparison.Ordinal);
        Assert.Contains("Partial refunds settle in two days.", text, StringComparison.Ordinal);
        Assert.Contains("curl -X POST /v1/refunds --data \"amount=<500>\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("bash", text, StringComparison.Ordinal); // a parameter, not content
    }

    [Fact]
    public void Links_keep_their_text_or_the_page_they_name_and_chrome_macros_images_and_emoticons_go()
    {
        var text = Text("""
            <ac:structured-macro ac:name="toc"><ac:parameter ac:name="maxLevel">2</ac:parameter></ac:structured-macro>
            <p>See <ac:link><ri:page ri:content-title="Chargeback reasons" /></ac:link> and
            <ac:link><ri:page ri:content-title="Fees" /><ac:plain-text-link-body><![CDATA[the fee table]]></ac:plain-text-link-body></ac:link>.
            <ac:emoticon ac:name="smile" /> Then file the evidence.</p>
            <ac:image><ri:attachment ri:filename="flow.png" /></ac:image>
            <ac:task-list><ac:task><ac:task-status>incomplete</ac:task-status><ac:task-body>Upload receipts</ac:task-body></ac:task></ac:task-list>
            """);

        Assert.Contains("See Chargeback reasons and", text, StringComparison.Ordinal);
        Assert.Contains("the fee table", text, StringComparison.Ordinal);
        Assert.Contains("Then file the evidence.", text, StringComparison.Ordinal);
        Assert.Contains("Upload receipts", text, StringComparison.Ordinal);
        Assert.DoesNotContain("maxLevel", text, StringComparison.Ordinal);
        Assert.DoesNotContain("flow.png", text, StringComparison.Ordinal);
        Assert.DoesNotContain("incomplete", text, StringComparison.Ordinal);
    }

    /// <summary>The page's text as the index stores it: its Markdown read by the chunker, headings and all.</summary>
    private static string Text(string storage)
    {
        var markdown = ConfluenceStorageFormat.ToMarkdown(storage);
        var chunks = ArticleChunker.Split(new Article("wiki:1", "Page", "general", string.Empty, null, "wiki", markdown));
        return markdown.Split('\n').Where(l => l.StartsWith('#')).Aggregate(string.Empty, (all, l) => all + l + "\n") + string.Join("\n", chunks.Select(c => c.Text));
    }
}
