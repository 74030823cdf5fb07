using System.Collections.Frozen;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;

namespace SupportBot.Knowledge.Index;

/// <summary>
/// BM25 for searching: the original (English) fields exactly as before; each other language's fields with their
/// average length and IDF taken over the passages that have the field. Lucene 4.8's BM25 divides by all
/// documents of the index, so in a mostly English index every German passage would look many times longer than
/// average and its words rarer than they are.
/// </summary>
internal sealed class LanguageSimilarity(float k1, float b) : PerFieldSimilarityWrapper
{
    private static readonly FrozenSet<string> OwnFields = LanguageFields.All.Where(f => !f.Original)
        .SelectMany(f => new[] { f.Title, f.Section, f.Text })
        .ToFrozenSet(StringComparer.Ordinal);

    private readonly BM25Similarity _original = new(k1, b);
    private readonly BM25Similarity _ownStatistics = new OwnStatisticsBM25(k1, b);

    public override Similarity Get(string name) => OwnFields.Contains(name) ? _ownStatistics : _original;

    private sealed class OwnStatisticsBM25(float k1, float b) : BM25Similarity(k1, b)
    {
        protected override float AvgFieldLength(CollectionStatistics collectionStats)
        {
            var docs = collectionStats.DocCount > 0 ? collectionStats.DocCount : collectionStats.MaxDoc;
            var sum = collectionStats.SumTotalTermFreq;
            return sum <= 0 || docs <= 0 ? 1f : (float)(sum / (double)docs);
        }

        public override Explanation IdfExplain(CollectionStatistics collectionStats, TermStatistics termStats)
        {
            var docs = collectionStats.DocCount > 0 ? collectionStats.DocCount : collectionStats.MaxDoc;
            return new Explanation(Idf(termStats.DocFreq, docs), $"idf(docFreq={termStats.DocFreq}, docCount={docs})");
        }

        public override Explanation IdfExplain(CollectionStatistics collectionStats, TermStatistics[] termStats)
        {
            var details = new Explanation();
            float idf = 0;
            foreach (var stat in termStats)
            {
                var explanation = IdfExplain(collectionStats, stat);
                details.AddDetail(explanation);
                idf += explanation.Value;
            }

            details.Value = idf;
            details.Description = "idf(), sum of:";
            return details;
        }
    }
}
