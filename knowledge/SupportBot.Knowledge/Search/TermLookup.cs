using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Util;
using SupportBot.Knowledge.Index;

namespace SupportBot.Knowledge.Search;

/// <summary>
/// The query terms' dictionary entries, looked up once per search with one terms enumerator per field and
/// segment (Lucene would otherwise open one per term and field for the weights, and again for the IDFs).
/// The term queries built from it do not look their terms up again.
/// </summary>
internal sealed class TermLookup
{
    private readonly Dictionary<(string Field, string Term), TermContext> _contexts = [];

    /// <param name="fields">The language's fields the terms are looked up in; English's (the original ones) when null.</param>
    public TermLookup(IndexReaderContext top, IEnumerable<string> terms, LanguageFields? fields = null)
    {
        ArgumentNullException.ThrowIfNull(top);
        Fields = fields ?? LanguageFields.English;
        var bytes = terms.Select(t => (Term: t, Bytes: new BytesRef(t))).ToList();
        foreach (var field in (string[])[Fields.Text, Fields.Title, Fields.Section])
        {
            foreach (var (term, _) in bytes)
            {
                _contexts[(field, term)] = new TermContext(top);
            }

            foreach (var leaf in top.Leaves)
            {
                if (leaf.AtomicReader.GetTerms(field) is not { } fieldTerms)
                {
                    continue;
                }

                var enumerator = fieldTerms.GetEnumerator();
                foreach (var (term, termBytes) in bytes)
                {
                    if (enumerator.SeekExact(termBytes))
                    {
                        _contexts[(field, term)].Register(enumerator.GetTermState(), leaf.Ord, enumerator.DocFreq, enumerator.TotalTermFreq);
                    }
                }
            }
        }
    }

    /// <summary>The fields (one language's) the terms were looked up in.</summary>
    public LanguageFields Fields { get; }

    /// <summary>Passages whose title, section or text holds <paramref name="term"/>.</summary>
    public int DocFreq(string term) => _contexts.TryGetValue((Fields.Text, term), out var context) ? context.DocFreq : 0;

    /// <summary>True when some passage holds the term (the text field includes title and section).</summary>
    public bool InText(string term) => DocFreq(term) > 0;

    /// <summary>The term's dictionary entries in <paramref name="field"/>, one per segment holding it.</summary>
    public TermContext Context(string field, string term) => _contexts[(field, term)];

    public TermQuery Query(string field, string term, float boost) =>
        new(new Term(field, term), _contexts[(field, term)]) { Boost = boost };
}
