using System.Text.RegularExpressions;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Microsoft.Extensions.Options;
using SupportBot.Core.Answering;
using SupportBot.Knowledge.Index;

namespace SupportBot.Knowledge.Search;

/// <summary>
/// BM25 search over the knowledge index. The query is built from analyzed terms, never parsed, so no
/// user text can raise a query-syntax error. Each term may match the title (boosted), the section
/// heading (boosted) or the text. The thread resolves follow-ups: the user's earlier turns add their
/// terms at a weight that decays with distance, the bot's replies more lightly still, and an optional
/// pseudo-relevance-feedback pass adds the terms the first pass's best passages share.
/// </summary>
internal sealed partial class LuceneKnowledgeSearch(KnowledgeIndex index, IOptions<KnowledgeSearchOptions> options) : IKnowledgeSearch
{
    private const int MaxQueryChars = 2_000;
    private const int MaxTermsPerTurn = 48;
    private const int MaxKeySentences = 3;

    // An article's lead paragraph is written to answer its title's question; sections are details.
    private const float LeadBoost = 1.3f;
    private const int Candidates = 3;

    private readonly KnowledgeSearchOptions _options = options.Value;

    public Task<IReadOnlyList<SearchHit>> SearchAsync(SearchRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var query = WeightedTerms(request);
        if (query.Count == 0)
        {
            return Task.FromResult<IReadOnlyList<SearchHit>>([]);
        }

        return index.SearchAsync<IReadOnlyList<SearchHit>>(searcher => Run(searcher, request, query), cancellationToken);
    }

    /// <summary>
    /// The query's terms with their weights: the question's at 1, each earlier user turn's at
    /// <c>ContextWeight × ContextDecay^distance</c>, the bot's replies at <c>ReplyWeight × ContextDecay^distance</c>.
    /// A term said in several turns keeps its highest weight.
    /// </summary>
    internal Dictionary<string, float> WeightedTerms(SearchRequest request)
    {
        var weights = new Dictionary<string, float>(StringComparer.Ordinal);
        Add(request.Question, 1f);
        AddTurns(request.Context, _options.ContextWeight);
        AddTurns(request.Replies ?? [], _options.ReplyWeight);
        return weights;

        void AddTurns(IReadOnlyList<string> turns, double weight)
        {
            for (var i = turns.Count - 1; i >= 0 && weight > 0.001; i--)
            {
                Add(turns[i], (float)weight);
                weight *= _options.ContextDecay;
            }
        }

        void Add(string text, float weight)
        {
            if (weight <= 0)
            {
                return;
            }

            var bounded = text.Length > MaxQueryChars ? text[..MaxQueryChars] : text;
            var added = 0;
            foreach (var term in KnowledgeIndex.Terms(bounded))
            {
                if (weights.TryGetValue(term, out var existing))
                {
                    if (existing < weight)
                    {
                        weights[term] = weight;
                    }
                }
                else if (added++ < MaxTermsPerTurn)
                {
                    weights[term] = weight;
                }
            }
        }
    }

    private List<SearchHit> Run(IndexSearcher searcher, SearchRequest request, Dictionary<string, float> terms)
    {
        var filter = request.Product is { Length: > 0 } product
            ? new QueryWrapperFilter(new TermQuery(new Term(IndexFields.Product, product)))
            : null;
        var wanted = Math.Max(1, request.Top);
        var reader = searcher.IndexReader;
        var idf = new TermWeights(reader);
        var top = searcher.Search(BuildQuery(terms), filter, wanted * Candidates);

        if (_options.FeedbackPassages > 0 && top.ScoreDocs.Length > 0)
        {
            var expanded = Feedback(searcher, top.ScoreDocs, terms, idf);
            if (expanded.Count > terms.Count)
            {
                top = searcher.Search(BuildQuery(expanded), filter, wanted * Candidates);
            }
        }

        var questionTerms = KnowledgeIndex.Terms(request.Question).Distinct(StringComparer.Ordinal).ToList();
        var coverageTerms = questionTerms.Count > 0 ? questionTerms : [.. terms.Keys];
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
                idf.Coverage(coverageTerms, docTerms),
                KeySentences(body, terms, idf)));
        }

        return hits;
    }

    private BooleanQuery BuildQuery(Dictionary<string, float> terms)
    {
        var query = new BooleanQuery();
        foreach (var (term, weight) in terms)
        {
            query.Add(TermAnywhere(term, weight), Occur.SHOULD);
        }

        return query;
    }

    /// <summary>
    /// Adds the terms the first pass's best passages have in common (weighted by their share of those
    /// passages and their IDF) to the query, at a fraction of the question's weight: a follow-up that
    /// names the topic only vaguely borrows the vocabulary of the passages that discuss it.
    /// </summary>
    private Dictionary<string, float> Feedback(IndexSearcher searcher, ScoreDoc[] top, Dictionary<string, float> terms, TermWeights idf)
    {
        var scores = new Dictionary<string, double>(StringComparer.Ordinal);
        var passages = Math.Min(_options.FeedbackPassages, top.Length);
        var best = top[0].Score;
        for (var i = 0; i < passages; i++)
        {
            var doc = searcher.Doc(top[i].Doc);
            var docTerms = KnowledgeIndex.Terms($"{doc.Get(IndexFields.Title)}\n{doc.Get(IndexFields.Section)}\n{doc.Get(IndexFields.Body)}");
            if (docTerms.Count == 0)
            {
                continue;
            }

            var relevance = top[i].Score / best;
            foreach (var group in docTerms.GroupBy(t => t, StringComparer.Ordinal))
            {
                if (!terms.ContainsKey(group.Key))
                {
                    scores[group.Key] = scores.GetValueOrDefault(group.Key) + (relevance * group.Count() / docTerms.Count);
                }
            }
        }

        var picked = scores
            .Select(s => (Term: s.Key, Score: s.Value * idf.Idf(s.Key)))
            .OrderByDescending(s => s.Score)
            .ThenBy(s => s.Term, StringComparer.Ordinal)
            .Take(_options.FeedbackTerms)
            .ToList();
        var expanded = new Dictionary<string, float>(terms, StringComparer.Ordinal);
        if (picked.Count == 0)
        {
            return expanded;
        }

        var max = picked[0].Score;
        foreach (var (term, score) in picked)
        {
            expanded[term] = (float)(_options.FeedbackWeight * score / max);
        }

        return expanded;
    }

    private DisjunctionMaxQuery TermAnywhere(string term, float weight)
    {
        var query = new DisjunctionMaxQuery(0.1f)
        {
            new TermQuery(new Term(IndexFields.Title, term)) { Boost = (float)_options.TitleBoost },
            new TermQuery(new Term(IndexFields.Section, term)) { Boost = (float)_options.SectionBoost },
            new TermQuery(new Term(IndexFields.Text, term)),
        };
        query.Boost = weight;
        return query;
    }

    /// <summary>The sentences that carry most of the query's (weighted) terms, kept in reading order.</summary>
    internal static IReadOnlyList<string> KeySentences(string body, Dictionary<string, float> terms, TermWeights weights)
    {
        var sentences = SplitSentences(body);
        var scored = new List<(int Index, double Score)>(sentences.Count);
        for (var i = 0; i < sentences.Count; i++)
        {
            var score = 0.0;
            foreach (var term in KnowledgeIndex.Terms(sentences[i]).Distinct(StringComparer.Ordinal))
            {
                if (terms.TryGetValue(term, out var weight))
                {
                    score += weight * weights.Idf(term);
                }
            }

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
