using Lucene.Net.Index;
using Lucene.Net.Search;
using SupportBot.Knowledge.Index;
using SupportBot.Knowledge.Search;

namespace SupportBot.IntegrationTests.Knowledge;

/// <summary>The candidates-only proximity score agrees with Lucene's own sloppy phrase rescoring.</summary>
public sealed class ProximityRescorerTests : IAsyncLifetime
{
    private static readonly string[] Words = ["ledger", "payout", "refund", "dispute", "card", "bank", "fee", "invoice", "charge", "account"];
    private readonly TempIndex _index = new();

    public async Task InitializeAsync()
    {
        // A small vocabulary in random order: many passages hold both terms of a pair, near and far, repeatedly.
        var random = new Random(17);
        var articles = Enumerable.Range(0, 300).Select(i =>
        {
            var words = Enumerable.Range(0, random.Next(8, 60)).Select(_ => Words[random.Next(Words.Length)]);
            return TempIndex.Article($"a{i}", $"Article {i}", string.Join(' ', words) + ".");
        });
        await _index.AddAsync([.. articles]);
    }

    public Task DisposeAsync()
    {
        _index.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public void Sloppy_frequency_counts_each_match_by_its_length()
    {
        static float Factor(int distance) => 1f / (distance + 1);

        Assert.Equal(1f, ProximityRescorer.SloppyFrequency([4], [5], 4, Factor));          // adjacent, in order
        Assert.Equal(1f / 3, ProximityRescorer.SloppyFrequency([4], [7], 4, Factor), 5);   // two words between
        Assert.Equal(1f / 3, ProximityRescorer.SloppyFrequency([5], [4], 4, Factor), 5);   // swapped: two moves
        Assert.Equal(0f, ProximityRescorer.SloppyFrequency([0], [9], 4, Factor));          // beyond the slop
        Assert.Equal(2f, ProximityRescorer.SloppyFrequency([0, 10], [1, 11], 4, Factor));  // two matches
    }

    [Theory]
    [InlineData("ledger", "payout")]
    [InlineData("refund", "fee")]
    [InlineData("card", "bank")]
    [InlineData("invoice", "account")]
    [InlineData("charge", "dispute")]
    public async Task Rescored_candidates_score_as_one_query_of_the_terms_and_their_sloppy_phrase(string firstWord, string secondWord)
    {
        var first = KnowledgeIndex.Terms(firstWord).Single();
        var second = KnowledgeIndex.Terms(secondWord).Single();
        var results = await _index.Index.SearchAsync(searcher =>
        {
            var lookup = new TermLookup(searcher.IndexReader.Context, [first, second]);
            var terms = new BooleanQuery
            {
                { new TermQuery(new Term(IndexFields.Text, first)), Occur.SHOULD },
                { new TermQuery(new Term(IndexFields.Text, second)), Occur.SHOULD },
            };
            var top = searcher.Search(terms, 50);
            var ours = ProximityRescorer.Rescore(searcher, top, [(first, second)], lookup, LuceneKnowledgeSearch.ProximitySlop, 0.3f, 18);

            // The reference: Lucene scoring every passage with the phrase as one more clause.
            var phrase = new PhraseQuery { Slop = LuceneKnowledgeSearch.ProximitySlop, Boost = 0.3f };
            phrase.Add(new Term(IndexFields.Text, first));
            phrase.Add(new Term(IndexFields.Text, second));
            var combined = (BooleanQuery)terms.Clone();
            combined.Add(phrase, Occur.SHOULD);
            var full = searcher.Search(combined, searcher.IndexReader.MaxDoc).ScoreDocs.ToDictionary(d => d.Doc, d => d.Score);
            var firstPass = top.ScoreDocs.ToDictionary(d => d.Doc, d => d.Score);
            return (Ours: ours.ScoreDocs, Full: full, FirstPass: firstPass);
        }, default);

        Assert.Equal(18, results.Ours.Length);
        Assert.True(results.Ours.Count(d => d.Score > results.FirstPass[d.Doc]) > 3, "hardly any passage got a proximity score");
        foreach (var doc in results.Ours)
        {
            Assert.Equal(results.Full[doc.Doc], doc.Score, 4);
        }

        // Best first, and nothing left out of the window scores above the last one kept.
        Assert.Equal(results.Ours.Select(d => d.Score).OrderDescending(), results.Ours.Select(d => d.Score));
        var window = results.FirstPass.Keys.ToHashSet();
        var outside = window.Except(results.Ours.Select(d => d.Doc)).Select(d => results.Full[d]);
        Assert.All(outside, score => Assert.True(score <= results.Ours[^1].Score + 1e-4f));
    }
}
