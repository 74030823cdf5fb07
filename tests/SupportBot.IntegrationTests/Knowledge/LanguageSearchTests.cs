using SupportBot.Core.Answering;
using SupportBot.Knowledge.Articles;
using SupportBot.Knowledge.Index;

namespace SupportBot.IntegrationTests.Knowledge;

/// <summary>The sample articles in five languages in one real index, each analysed by its language's analyzer.</summary>
public sealed class LanguageSearchTests : IAsyncLifetime
{
    private readonly TempIndex _index = new();

    private static readonly string[] Files =
    [
        "refunds.md", "responding-to-a-dispute.md", "why-is-a-payout-delayed.md", "troubleshooting-3ds-failures.md",
        "webhook-signature-verification-failures.md", "de/rueckerstattungen.md", "fr/repondre-a-un-litige.md",
        "es/por-que-se-retrasa-un-pago.md", "ja/3d-secure-failures.md",
    ];

    public async Task InitializeAsync()
    {
        var kb = Path.Combine(AppContext.BaseDirectory, "samples", "kb");
        await _index.AddAsync([.. Files.Select(f => MarkdownArticleReader.Read(Path.ChangeExtension(f, null), f, File.ReadAllText(Path.Combine(kb, f))))]);
    }

    public Task DisposeAsync()
    {
        _index.Dispose();
        return Task.CompletedTask;
    }

    private Task<IReadOnlyList<SearchHit>> SearchAsync(string question, string? language = null) =>
        _index.Search.SearchAsync(new SearchRequest(question, []) { Language = language }, default);

    [Fact]
    public async Task A_german_question_finds_the_german_article_through_german_stemming()
    {
        // The article only says "Teilrückerstattungen"; German stemming makes the singular the same term, English would not.
        Assert.Equal(KnowledgeIndex.Terms("Teilrückerstattung", "de"), KnowledgeIndex.Terms("Teilrückerstattungen", "de"));
        Assert.NotEqual(KnowledgeIndex.Terms("Teilrückerstattung"), KnowledgeIndex.Terms("Teilrückerstattungen"));

        var hits = await SearchAsync("Wie funktioniert eine Teilrückerstattung?");

        Assert.Equal("de/rueckerstattungen", hits[0].ArticleId);
        Assert.Equal("Voll- und Teilrückerstattungen", hits[0].Section);
        Assert.All(hits, h => Assert.StartsWith("de/", h.ArticleId, StringComparison.Ordinal));
        Assert.True(hits[0].Coverage > 0.3, $"coverage {hits[0].Coverage}");
    }

    [Fact]
    public async Task A_japanese_question_finds_the_japanese_article()
    {
        var hits = await SearchAsync("3Dセキュアの認証に失敗した場合はどうすればいいですか？");

        Assert.Equal("ja/3d-secure-failures", hits[0].ArticleId);
        Assert.All(hits, h => Assert.StartsWith("ja/", h.ArticleId, StringComparison.Ordinal));
        Assert.NotEmpty(hits[0].KeySentences);
    }

    [Fact]
    public async Task French_and_spanish_questions_find_their_articles_even_inflected_differently()
    {
        var french = await SearchAsync("Comment contester les litiges et quelles preuves envoyer ?");
        var spanish = await SearchAsync("¿Por qué se retrasan los pagos de un comerciante?");

        Assert.Equal("fr/repondre-a-un-litige", french[0].ArticleId);
        Assert.Equal("es/por-que-se-retrasa-un-pago", spanish[0].ArticleId); // it declares no language: its text told it
    }

    [Fact]
    public async Task An_english_question_finds_only_english_articles()
    {
        var hits = await SearchAsync("How long do refunds take to reach the cardholder?");

        Assert.Equal("refunds", hits[0].ArticleId);
        Assert.DoesNotContain(hits, h => h.ArticleId.Contains('/', StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_question_no_passage_of_its_language_matches_is_searched_as_the_default_language()
    {
        var hits = await SearchAsync("Wie prüfe ich die Signatur eines Webhooks?");

        Assert.Equal("webhook-signature-verification-failures", hits[0].ArticleId);
    }

    [Fact]
    public async Task The_language_the_request_names_decides_over_detection()
    {
        // "Rückerstattung" alone is too short to tell; named as German it is stemmed and searched as German.
        var asGerman = await SearchAsync("Rückerstattungen Gutschrift", language: "de");
        var detected = _index.Search.LanguageOf(new SearchRequest("Rückerstattungen Gutschrift", []));

        Assert.Equal("de/rueckerstattungen", asGerman[0].ArticleId);
        Assert.Equal("en", detected);
    }

    [Fact]
    public async Task A_language_field_is_scored_with_its_own_passages_statistics()
    {
        var (german, all, ownIdf, englishIdf) = await _index.Index.SearchAsync(
            searcher =>
            {
                var germanQuery = new Lucene.Net.Search.TermQuery(new Lucene.Net.Index.Term("text_de", KnowledgeIndex.Terms("Werktagen", "de").Single()));
                var englishQuery = new Lucene.Net.Search.TermQuery(new Lucene.Net.Index.Term("text", KnowledgeIndex.Terms("refund").Single()));
                var germanDoc = searcher.Search(germanQuery, 1).ScoreDocs[0].Doc;
                var englishDoc = searcher.Search(englishQuery, 1).ScoreDocs[0].Doc;
                return (
                    searcher.CollectionStatistics("text_de").DocCount,
                    searcher.IndexReader.MaxDoc,
                    searcher.Explain(germanQuery, germanDoc).ToString(),
                    searcher.Explain(englishQuery, englishDoc).ToString());
            },
            default);

        Assert.True(german < all, $"{german} German passages of {all}");
        Assert.Contains($"docCount={german})", ownIdf, StringComparison.Ordinal);
        Assert.Contains($"maxDocs={all})", englishIdf, StringComparison.Ordinal); // English scores exactly as before
    }
}
