using System.Text.RegularExpressions;
using Lucene.Net.Index;
using Lucene.Net.Search;
using SupportBot.Core.Answering;
using SupportBot.Knowledge.Index;

namespace SupportBot.Knowledge.Search;

/// <summary>
/// BM25 search over the knowledge index. The query is built from analyzed terms, never parsed, so no
/// user text can raise a query-syntax error. Each question term may match the title (boosted), the
/// section heading (boosted) or the text; earlier turns of the thread add their terms at a lower
/// weight, which is how follow-up questions find the passages of the topic under discussion.
/// </summary>
internal sealed partial class LuceneKnowledgeSearch(KnowledgeIndex index) : IKnowledgeSearch
{
    private const int MaxQueryChars = 2_000;
    private const int MaxTerms = 48;
    private const float TitleBoost = 2.0f;
    private const float SectionBoost = 1.5f;
    private const float ContextWeight = 0.35f;
    private const int MaxKeySentences = 3;

    // An article's lead paragraph is written to answer its title's question; sections are details.
    private const float LeadBoost = 1.3f;
    private const int Candidates = 3;

    public Task<IReadOnlyList<SearchHit>> SearchAsync(SearchRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var questionTerms = DistinctTerms(request.Question);
        var contextTerms = DistinctTerms(string.Join('\n', request.Context)).Except(questionTerms).ToList();
        if (questionTerms.Count == 0 && contextTerms.Count == 0)
        {
            return Task.FromResult<IReadOnlyList<SearchHit>>([]);
        }

        return index.SearchAsync<IReadOnlyList<SearchHit>>(searcher => Run(searcher, request, questionTerms, contextTerms), cancellationToken);
    }

    private static List<string> DistinctTerms(string text)
    {
        var bounded = text.Length > MaxQueryChars ? text[..MaxQueryChars] : text;
        return KnowledgeIndex.Terms(bounded).Distinct(StringComparer.Ordinal).Take(MaxTerms).ToList();
    }

    private static List<SearchHit> Run(IndexSearcher searcher, SearchRequest request, List<string> questionTerms, List<string> contextTerms)
    {
        var query = new BooleanQuery();
        foreach (var term in questionTerms)
        {
            query.Add(TermAnywhere(term, 1f), Occur.SHOULD);
        }

        foreach (var term in contextTerms)
        {
            query.Add(TermAnywhere(term, ContextWeight), Occur.SHOULD);
        }

        var filter = request.Product is { Length: > 0 } product
            ? new QueryWrapperFilter(new TermQuery(new Term(IndexFields.Product, product)))
            : null;
        var wanted = Math.Max(1, request.Top);
        var top = searcher.Search(query, filter, wanted * Candidates);

        var reader = searcher.IndexReader;
        var weights = new TermWeights(reader);
        var coverageTerms = questionTerms.Count > 0 ? questionTerms : contextTerms;
        var ranked = top.ScoreDocs
            .Select(scoreDoc => (Doc: searcher.Doc(scoreDoc.Doc), scoreDoc.Score))
            .Select(c => (c.Doc, Score: c.Doc.Get(IndexFields.Section) is null ? c.Score * LeadBoost : c.Score))
            .OrderByDescending(c => c.Score)
            .Take(wanted);

        var hits = new List<SearchHit>(wanted);
        foreach (var (doc, score) in ranked)
        {
            var title = doc.Get(IndexFields.Title);
            var section = doc.Get(IndexFields.Section);
            var body = doc.Get(IndexFields.Body);
            var docTerms = KnowledgeIndex.Terms($"{title}\n{section}\n{body}").ToHashSet(StringComparer.Ordinal);
            hits.Add(new SearchHit(
                doc.Get(IndexFields.Id),
                doc.Get(IndexFields.Article),
                title,
                section,
                doc.Get(IndexFields.Url),
                doc.Get(IndexFields.Product),
                doc.Get(IndexFields.Source),
                body,
                score,
                weights.Coverage(coverageTerms, docTerms),
                KeySentences(body, questionTerms, contextTerms, weights)));
        }

        return hits;
    }

    private static DisjunctionMaxQuery TermAnywhere(string term, float weight)
    {
        var query = new DisjunctionMaxQuery(0.1f)
        {
            new TermQuery(new Term(IndexFields.Title, term)) { Boost = TitleBoost },
            new TermQuery(new Term(IndexFields.Section, term)) { Boost = SectionBoost },
            new TermQuery(new Term(IndexFields.Text, term)),
        };
        query.Boost = weight;
        return query;
    }

    /// <summary>The sentences that carry most of the question's terms, kept in reading order.</summary>
    internal static IReadOnlyList<string> KeySentences(string body, List<string> questionTerms, List<string> contextTerms, TermWeights weights)
    {
        var sentences = SplitSentences(body);
        var scored = new List<(int Index, double Score)>(sentences.Count);
        for (var i = 0; i < sentences.Count; i++)
        {
            var terms = KnowledgeIndex.Terms(sentences[i]).ToHashSet(StringComparer.Ordinal);
            var score = questionTerms.Where(terms.Contains).Sum(weights.Idf)
                + (ContextWeight * contextTerms.Where(terms.Contains).Sum(weights.Idf));
            if (score > 0)
            {
                scored.Add((i, score));
            }
        }

        return scored
            .OrderByDescending(s => s.Score)
            .ThenBy(s => s.Index)
            .Take(MaxKeySentences)
            .OrderBy(s => s.Index)
            .Select(s => sentences[s.Index])
            .ToList();
    }

    internal static List<string> SplitSentences(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .SelectMany(line => SentenceEnd().Split(line))
            .Select(s => s.Trim())
            .Where(s => s.Length > 0)
            .ToList();

    [GeneratedRegex(@"(?<=[.!?])\s+(?=[A-Z0-9""“(])", RegexOptions.CultureInvariant)]
    private static partial Regex SentenceEnd();

    /// <summary>Inverse document frequencies over the combined text field, cached for one search.</summary>
    internal sealed class TermWeights(IndexReader reader)
    {
        private readonly Dictionary<string, double> _idf = new(StringComparer.Ordinal);

        public double Idf(string term)
        {
            if (!_idf.TryGetValue(term, out var idf))
            {
                var n = reader.NumDocs;
                var df = reader.DocFreq(new Term(IndexFields.Text, term));
                idf = Math.Log(1 + ((n - df + 0.5) / (df + 0.5)));
                _idf[term] = idf;
            }

            return idf;
        }

        /// <summary>The IDF-weighted share of <paramref name="terms"/> present in a passage.</summary>
        public double Coverage(List<string> terms, HashSet<string> present)
        {
            var total = terms.Sum(Idf);
            return total <= 0 ? 0 : terms.Where(present.Contains).Sum(Idf) / total;
        }
    }
}
