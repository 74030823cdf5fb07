using SupportBot.Knowledge.Ingestion;

namespace SupportBot.Tests.Knowledge;

public sealed class BeirCorpusReaderTests
{
    [Fact]
    public void Each_line_is_an_article_whose_id_is_its_corpus_id()
    {
        var bad = new List<(int Line, string Reason)>();
        const string corpus = """
            {"_id": "d1", "title": "Instant payouts", "text": "Instant payouts arrive in 30 minutes.", "url": "https://kb.example/instant", "domain": "Payouts", "extra": [1, 2]}
            {"_id": "d2", "title": "", "text": "Refunds take 5 to 10 days."}
            not json
            {"title": "no id", "text": "x"}

            {"_id": "d3", "title": "Empty", "text": "  "}
            {"id": "op-get-v1-account", "title": "Retrieves the account.", "text": "Endpoint: GET /v1/account", "kind": "operation"}
            """;

        var articles = BeirCorpusReader.Read("corpus.jsonl", corpus, (line, reason) => bad.Add((line, reason))).ToList();

        Assert.Equal(["d1", "d2", "op-get-v1-account"], articles.Select(a => a.Id));
        Assert.Equal("Instant payouts", articles[0].Title);
        Assert.Equal("payouts", articles[0].Product);
        Assert.Equal("https://kb.example/instant", articles[0].Url);
        Assert.Equal("corpus.jsonl#d1", articles[0].Source);
        Assert.Equal("general", articles[1].Product);
        Assert.Equal([3, 4, 6], bad.Select(b => b.Line));
        Assert.Contains("no _id", bad[1].Reason, StringComparison.Ordinal);
    }
}
