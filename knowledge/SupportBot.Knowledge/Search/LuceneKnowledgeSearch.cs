using System.Text.RegularExpressions;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Microsoft.Extensions.Options;
using SupportBot.Core.Answering;
using SupportBot.Knowledge.Articles;
using SupportBot.Knowledge.Index;

namespace SupportBot.Knowledge.Search;

/// <summary>
/// BM25 search over the knowledge index. The query is built from analyzed terms, never parsed, so no
/// user text can raise a query-syntax error. Each term may match the title (boosted), the section
/// heading (boosted) or the text. The thread resolves follow-ups: the user's earlier turns add their
/// terms at a weight that decays with distance, the bot's replies more lightly still, and
/// a passage's coverage (the answer-confidence measure) counts the thread more lightly than the question.
/// The question is analysed as its language and matched against that language's fields (<see cref="LanguageFields"/>).
/// </summary>
internal sealed partial class LuceneKnowledgeSearch(KnowledgeIndex index, IOptions<KnowledgeSearchOptions> options) : IKnowledgeSearch
{
    private const int MaxQueryChars = 2_000;
    private const int MaxTermsPerTurn = 48;
    private const int MaxKeySentences = 3;
    internal const int ProximitySlop = 4;

    // How many BM25 passages the proximity score may reorder.
    private const int ProximityWindow = 50;

    // An article's lead paragraph is written to answer its title's question; sections are details.
    private const float LeadBoost = 1.3f;

    /// <summary>Candidates ranked per passage wanted (the lead boost reorders them).</summary>
    internal const int Candidates = 3;

    private readonly KnowledgeSearchOptions _options = options.Value;

    public Task<IReadOnlyList<SearchHit>> SearchAsync(SearchRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var language = LanguageOf(request);
        var query = WeightedTerms(request, language);
        var fallback = language == index.Languages.Default ? null : WeightedTerms(request, index.Languages.Default);
        if (query.Count == 0 && fallback is not { Count: > 0 })
        {
            return Task.FromResult<IReadOnlyList<SearchHit>>([]);
        }

        return index.SearchAsync<IReadOnlyList<SearchHit>>(
            searcher =>
            {
                // A question in a language no passage matches in is searched once more as the default language:
                // product names, codes and borrowed words ("Chargeback", "3DS") often still find the answer there.
                var hits = query.Count == 0 ? [] : Run(searcher, request, query, LanguageFields.For(language));
                return hits.Count == 0 && fallback is { Count: > 0 } ? Run(searcher, request, fallback, LanguageFields.For(index.Languages.Default)) : hits;
            },
            cancellationToken);
    }

    /// <summary>The request's language when it is enabled; else the question's (or its thread's), else the default.</summary>
    internal string LanguageOf(SearchRequest request) =>
        request.Language is { } language && index.Languages.IsEnabled(language)
            ? language
            : index.Languages.DetectQuestion(request.Question, request.Context);

    /// <summary>The query's terms with their weights, analysed as the request's language (<see cref="LanguageOf"/>).</summary>
    internal Dictionary<string, float> WeightedTerms(SearchRequest request) => WeightedTerms(request, LanguageOf(request));

    /// <summary>
    /// The query's terms with their weights: the question's at 1, each earlier user turn's at
    /// <c>ContextWeight × ContextDecay^distance</c>, the bot's replies at <c>ReplyWeight × ContextDecay^distance</c>.
    /// A term said in several turns keeps its highest weight.
    /// </summary>
    internal Dictionary<string, float> WeightedTerms(SearchRequest request, string language)
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
            foreach (var term in KnowledgeIndex.Terms(bounded, language))
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

    private List<SearchHit> Run(IndexSearcher searcher, SearchRequest request, Dictionary<string, float> terms, LanguageFields fields)
    {
        var wanted = Math.Max(1, request.Top);
        var ranked = Rank(searcher, request, terms, wanted * Candidates, out var lookup, fields);
        return Hits(searcher, ranked, wanted, terms, lookup);
    }

    /// <summary>
    /// Passages of the request's product areas only (any of them) and, when it names sources, of those sources only;
    /// null for an unrestricted search.
    /// </summary>
    internal static Filter? AreaFilter(SearchRequest request)
    {
        if (!request.Restricted && request.Sources.Count == 0)
        {
            return null;
        }

        var scope = new BooleanQuery();
        if (request.Restricted)
        {
            var areas = new BooleanQuery();
            foreach (var area in request.Areas)
            {
                areas.Add(new TermQuery(new Term(IndexFields.Product, area)), Occur.SHOULD);
            }

            scope.Add(areas, Occur.MUST); // no areas left: matches nothing
        }

        if (request.Sources.Count > 0)
        {
            var sources = new BooleanQuery();
            foreach (var source in request.Sources)
            {
                sources.Add(new TermQuery(new Term(IndexFields.Source, source)), Occur.SHOULD);
            }

            scope.Add(sources, Occur.MUST);
        }

        return new QueryWrapperFilter(scope);
    }

    /// <summary>
    /// The best <paramref name="candidates"/> passages by BM25 and the lead boost: top-level document and
    /// score, best first; <paramref name="lookup"/> holds the terms' statistics for <see cref="Hits"/>.
    /// </summary>
    /// <param name="fields">The language's fields to search; those of the request's language (<see cref="LanguageOf"/>) when null.</param>
    internal List<(int Doc, float Score)> Rank(IndexSearcher searcher, SearchRequest request, Dictionary<string, float> terms, int candidates, out TermLookup lookup, LanguageFields? fields = null)
    {
        var filter = AreaFilter(request);
        lookup = new TermLookup(searcher.IndexReader.Context, terms.Keys, fields ?? LanguageFields.For(LanguageOf(request)));
        var proximity = ProximityPairs(terms, lookup);

        // Scored in document order: Lucene's out-of-order scorer allocates a 2,048-bucket table per search,
        // which at 100k passages kept a gen-1 collection going every few dozen searches.
        var collector = TopScoreDocCollector.Create(proximity.Count == 0 ? candidates : Math.Max(candidates, ProximityWindow), docsScoredInOrder: true);
        searcher.Search(BuildQuery(terms, lookup), filter, collector);
        var top = collector.GetTopDocs();

        // Proximity only reorders: it rescores the best BM25 passages instead of reading positions of every match.
        if (proximity.Count > 0)
        {
            top = ProximityRescorer.Rescore(searcher, top, proximity, lookup, ProximitySlop, (float)_options.ProximityBoost, candidates);
        }

        // The lead boost reorders the candidates; only then are the wanted few read and analysed.
        var ranked = new List<(int Doc, float Score)>(top.ScoreDocs.Length);
        var leaves = searcher.IndexReader.Leaves;
        foreach (var scoreDoc in top.ScoreDocs)
        {
            ranked.Add((scoreDoc.Doc, IsLead(searcher, leaves, scoreDoc.Doc) ? scoreDoc.Score * LeadBoost : scoreDoc.Score));
        }

        ranked.Sort((x, y) => y.Score.CompareTo(x.Score));
        return ranked;
    }

    /// <summary>The first <paramref name="wanted"/> of <paramref name="ranked"/> read and analysed: key sentences and coverage.</summary>
    internal List<SearchHit> Hits(IndexSearcher searcher, List<(int Doc, float Score)> ranked, int wanted, Dictionary<string, float> terms, TermLookup lookup)
    {
        var idf = new TermWeights(searcher.IndexReader, lookup);
        var hits = new List<SearchHit>(Math.Min(wanted, ranked.Count));
        for (var i = 0; i < ranked.Count && hits.Count < wanted; i++)
        {
            hits.Add(ToHit(searcher.Doc(ranked[i].Doc), ranked[i].Score, terms, idf, lookup.Fields));
        }

        return hits;
    }

    private static readonly HashSet<string> LeadFields = [IndexFields.Section];

    /// <summary>From the lead doc value; passages indexed before it existed fall back to their stored section.</summary>
    private static bool IsLead(IndexSearcher searcher, IList<AtomicReaderContext> leaves, int doc)
    {
        var leaf = leaves[ReaderUtil.SubIndex(doc, leaves)];
        if (leaf.AtomicReader.GetNumericDocValues(IndexFields.Lead) is { } lead)
        {
            return lead.Get(doc - leaf.DocBase) == 1;
        }

        return searcher.Doc(doc, LeadFields).Get(IndexFields.Section) is null;
    }

    /// <summary>
    /// One pass over the passage's sentences gives both its key sentences and its coverage, so each
    /// passage is analysed once.
    /// </summary>
    private SearchHit ToHit(Lucene.Net.Documents.Document doc, float score, Dictionary<string, float> terms, TermWeights idf, LanguageFields fields)
    {
        var title = doc.Get(IndexFields.Title);
        var section = doc.Get(IndexFields.Section);
        var body = doc.Get(IndexFields.Body);
        var present = new HashSet<string>(StringComparer.Ordinal);
        AddMatching(title, terms, present, fields);
        AddMatching(section, terms, present, fields);

        var sentences = SplitSentences(body);
        var scored = new List<(int Index, double Score)>(sentences.Count);
        var sentenceTerms = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < sentences.Count; i++)
        {
            sentenceTerms.Clear();
            AddMatching(sentences[i], terms, sentenceTerms, fields);
            var sentenceScore = 0.0;
            foreach (var term in sentenceTerms)
            {
                sentenceScore += terms[term] * idf.Idf(term);
                present.Add(term);
            }

            if (sentenceScore > 0)
            {
                scored.Add((i, sentenceScore));
            }
        }

        var keySentences = scored
            .OrderByDescending(s => s.Score)
            .ThenBy(s => s.Index)
            .Take(MaxKeySentences)
            .OrderBy(s => s.Index)
            .Select(s => sentences[s.Index])
            .ToList();
        return new SearchHit(
            doc.Get(IndexFields.Id),
            doc.Get(IndexFields.Article),
            title,
            section,
            doc.Get(IndexFields.Url),
            doc.Get(IndexFields.Product),
            doc.Get(IndexFields.Source),
            body,
            score,
            idf.Coverage(terms, present, _options.CoverageContextShare),
            keySentences,
            ArticleDates.Parse(doc.Get(IndexFields.Updated)));
    }

    /// <summary>Adds the query terms <paramref name="text"/> contains to <paramref name="found"/>.</summary>
    private static void AddMatching(string? text, Dictionary<string, float> terms, HashSet<string> found, LanguageFields fields)
    {
        if (string.IsNullOrEmpty(text))
        {
            return;
        }

        using var stream = KnowledgeIndex.Analyzer.GetTokenStream(fields.Text, text);
        var term = stream.AddAttribute<Lucene.Net.Analysis.TokenAttributes.ICharTermAttribute>();
        stream.Reset();
        while (stream.IncrementToken())
        {
            // Look the term up without allocating a string for every token of the passage.
            if (terms.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(term.Buffer.AsSpan(0, term.Length), out var key, out _))
            {
                found.Add(key);
            }
        }

        stream.End();
    }

    /// <summary>
    /// Each term may match the title, the section heading or the text (dis-max). Terms the index does not
    /// hold are left out: they could match nothing.
    /// </summary>
    private BooleanQuery BuildQuery(Dictionary<string, float> terms, TermLookup lookup)
    {
        var query = new BooleanQuery();
        foreach (var (term, weight) in terms)
        {
            if (lookup.InText(term))
            {
                query.Add(TermAnywhere(term, weight, lookup), Occur.SHOULD);
            }
        }

        return query;
    }

    /// <summary>
    /// The question's terms come first, in the order asked: passages that keep adjacent ones within a few
    /// words of each other score a little more. Empty when proximity is off or no pair could match.
    /// </summary>
    internal List<(string First, string Second)> ProximityPairs(Dictionary<string, float> terms, TermLookup lookup)
    {
        var pairs = new List<(string, string)>();
        if (_options.ProximityBoost <= 0)
        {
            return pairs;
        }

        string? previous = null;
        foreach (var (term, weight) in terms)
        {
            if (weight < 1f)
            {
                continue;
            }

            if (previous is not null && lookup.InText(previous) && lookup.InText(term))
            {
                pairs.Add((previous, term));
            }

            previous = term;
        }

        return pairs;
    }

    private DisjunctionMaxQuery TermAnywhere(string term, float weight, TermLookup lookup)
    {
        var query = new DisjunctionMaxQuery(0.1f)
        {
            lookup.Query(lookup.Fields.Title, term, (float)_options.TitleBoost),
            lookup.Query(lookup.Fields.Section, term, (float)_options.SectionBoost),
            lookup.Query(lookup.Fields.Text, term, 1f),
        };
        query.Boost = weight;
        return query;
    }

    internal static List<string> SplitSentences(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .SelectMany(line => SentenceEnd().Split(line))
            .Select(s => s.Trim())
            .Where(s => s.Length > 0)
            .ToList();

    // Also after the Japanese 。！？, which no space follows; a sentence may open with ¿ or ¡, or an accented capital.
    [GeneratedRegex(@"(?<=[.!?])\s+(?=[\p{Lu}0-9""“(¿¡])|(?<=[。！？])", RegexOptions.CultureInvariant)]
    private static partial Regex SentenceEnd();

    /// <summary>Inverse document frequencies over the combined text field, from the term lookup of one search.</summary>
    internal sealed class TermWeights(IndexReader reader, TermLookup lookup)
    {
        private readonly Dictionary<string, double> _idf = new(StringComparer.Ordinal);

        public double Idf(string term)
        {
            if (!_idf.TryGetValue(term, out var idf))
            {
                var n = reader.NumDocs;
                var df = lookup.DocFreq(term);
                idf = Math.Log(1 + ((n - df + 0.5) / (df + 0.5)));
                _idf[term] = idf;
            }

            return idf;
        }

        /// <summary>
        /// The IDF-weighted share of the query a passage contains. The question's own terms count fully;
        /// the thread's count at <paramref name="contextShare"/> of their retrieval weight, so a follow-up
        /// ("and for Canada?") is judged by its own words plus, more lightly, the topic it continues.
        /// </summary>
        public double Coverage(Dictionary<string, float> terms, HashSet<string> present, double contextShare)
        {
            double total = 0, found = 0;
            foreach (var (term, weight) in terms)
            {
                var share = (weight >= 1f ? 1.0 : contextShare * weight) * Idf(term);
                total += share;
                if (present.Contains(term))
                {
                    found += share;
                }
            }

            return total <= 0 ? 0 : found / total;
        }
    }
}
