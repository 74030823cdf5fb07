using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;
using SupportBot.Knowledge.Index;

namespace SupportBot.Knowledge.Search;

/// <summary>
/// The proximity score of the best BM25 passages, computed for those passages only. Each pair of adjacent
/// question terms scores like Lucene's sloppy <see cref="PhraseQuery"/> (same sloppy frequency, same BM25
/// weight), but positions are read just for the candidates: Lucene's phrase scorer, asked to advance to a
/// passage without the pair, walks on through every later passage holding both terms.
/// </summary>
internal static class ProximityRescorer
{
    /// <summary>
    /// <paramref name="top"/> re-sorted by first-pass score plus the pairs' proximity scores (best first,
    /// ties by document), cut to <paramref name="keep"/>: each passage scores what one query of the terms
    /// and the pairs' sloppy phrases would give it (BM25 sums its clauses), without the walk.
    /// </summary>
    public static TopDocs Rescore(IndexSearcher searcher, TopDocs top, IReadOnlyList<(string First, string Second)> pairs, TermLookup lookup, int slop, float boost, int keep)
    {
        if (pairs.Count == 0 || top.ScoreDocs.Length == 0)
        {
            return top;
        }

        var hits = Array.ConvertAll(top.ScoreDocs, d => new ScoreDoc(d.Doc, d.Score)); // The caller's stay as they were.

        var similarity = searcher.Similarity;
        var collection = searcher.CollectionStatistics(lookup.Fields.Text);
        var weights = pairs.Select(pair =>
        {
            var weight = similarity.ComputeWeight(boost, collection, Statistics(searcher, lookup, pair.First), Statistics(searcher, lookup, pair.Second));
            weight.GetValueForNormalization();
            weight.Normalize(1f, 1f); // BM25's query norm is 1, and the clauses sit in an unboosted query.
            return weight;
        }).ToArray();
        var terms = pairs.SelectMany(p => new[] { p.First, p.Second }).Distinct(StringComparer.Ordinal).ToArray();

        var byDoc = hits.OrderBy(h => h.Doc).ToArray();
        var leaves = searcher.IndexReader.Leaves;
        var positions = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        foreach (var leafHits in byDoc.GroupBy(h => ReaderUtil.SubIndex(h.Doc, leaves)))
        {
            var leaf = leaves[leafHits.Key];
            var postings = Postings(leaf, lookup, terms);
            var scorers = weights.Select(w => similarity.GetSimScorer(w, leaf)).ToArray();
            foreach (var hit in leafHits)
            {
                var doc = hit.Doc - leaf.DocBase;
                positions.Clear();
                foreach (var (term, docs) in postings)
                {
                    if (docs.DocID < doc)
                    {
                        docs.Advance(doc);
                    }

                    if (docs.DocID == doc)
                    {
                        var list = new List<int>(docs.Freq);
                        for (var i = 0; i < docs.Freq; i++)
                        {
                            list.Add(docs.NextPosition());
                        }

                        positions[term] = list;
                    }
                }

                for (var p = 0; p < pairs.Count; p++)
                {
                    if (positions.TryGetValue(pairs[p].First, out var first) && positions.TryGetValue(pairs[p].Second, out var second))
                    {
                        var freq = SloppyFrequency(first, second, slop, scorers[p].ComputeSlopFactor);
                        if (freq > 0)
                        {
                            hit.Score += scorers[p].Score(doc, freq);
                        }
                    }
                }
            }
        }

        Array.Sort(hits, (x, y) => y.Score != x.Score ? y.Score.CompareTo(x.Score) : x.Doc.CompareTo(y.Doc));
        var kept = hits.Length > keep ? hits[..keep] : hits;
        return new TopDocs(top.TotalHits, kept, kept.Length > 0 ? kept[0].Score : float.NaN);
    }

    private static TermStatistics Statistics(IndexSearcher searcher, TermLookup lookup, string term) =>
        searcher.TermStatistics(new Term(lookup.Fields.Text, term), lookup.Context(lookup.Fields.Text, term));

    private static List<(string Term, DocsAndPositionsEnum Docs)> Postings(AtomicReaderContext leaf, TermLookup lookup, string[] terms)
    {
        var postings = new List<(string, DocsAndPositionsEnum)>(terms.Length);
        if (leaf.AtomicReader.GetTerms(lookup.Fields.Text) is not { } fieldTerms)
        {
            return postings;
        }

        var enumerator = fieldTerms.GetEnumerator(); // Each term's postings enum is its own; the seek can move on.
        foreach (var term in terms)
        {
            if (lookup.Context(lookup.Fields.Text, term).Get(leaf.Ord) is not { } state)
            {
                continue;
            }

            enumerator.SeekExact(new Lucene.Net.Util.BytesRef(term), state);
            if (enumerator.DocsAndPositions(leaf.AtomicReader.LiveDocs, null, DocsAndPositionsFlags.NONE) is { } docs)
            {
                postings.Add((term, docs));
            }
        }

        return postings;
    }

    /// <summary>
    /// The sloppy frequency of "<paramref name="first"/> <paramref name="second"/>" within <paramref name="slop"/>,
    /// counted exactly as Lucene's <c>SloppyPhraseScorer</c> counts it for two distinct terms: each position is
    /// taken relative to its place in the phrase, the lower one is advanced while that shortens the match,
    /// and each match adds the similarity's slop factor of its length.
    /// </summary>
    internal static float SloppyFrequency(IReadOnlyList<int> first, IReadOnlyList<int> second, int slop, Func<int, float> slopFactor)
    {
        int a = 0, b = 0;
        int positionA = first[0], positionB = second[0] - 1; // The second term's place in the phrase is 1.
        var end = Math.Max(positionA, positionB);
        var minIsA = positionA <= positionB; // On a tie the term with the lower phrase offset comes first.
        var matchLength = end - (minIsA ? positionA : positionB);
        var next = minIsA ? positionB : positionA;
        var frequency = 0f;
        while (true)
        {
            int advanced;
            if (minIsA)
            {
                if (++a >= first.Count)
                {
                    break;
                }

                advanced = positionA = first[a];
            }
            else
            {
                if (++b >= second.Count)
                {
                    break;
                }

                advanced = positionB = second[b] - 1;
            }

            end = Math.Max(end, advanced);
            if (advanced > next)
            {
                if (matchLength <= slop)
                {
                    frequency += slopFactor(matchLength);
                }

                minIsA = positionA <= positionB;
                next = minIsA ? positionB : positionA;
                matchLength = end - (minIsA ? positionA : positionB);
            }
            else
            {
                matchLength = Math.Min(matchLength, end - advanced);
            }
        }

        if (matchLength <= slop)
        {
            frequency += slopFactor(matchLength);
        }

        return frequency;
    }
}
