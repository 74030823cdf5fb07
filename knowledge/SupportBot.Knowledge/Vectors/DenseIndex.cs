using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Util;
using SupportBot.Knowledge.Index;

namespace SupportBot.Knowledge.Vectors;

/// <summary>
/// Exhaustive nearest-neighbour search over the passages' vectors, segment by segment. A scan of the
/// int8 codes picks <see cref="RescoreFactor"/> times the wanted candidates; their float32 vectors are
/// then read from the index and scored exactly (<see cref="TensorPrimitives.Dot(ReadOnlySpan{float}, ReadOnlySpan{float})"/>
/// of unit vectors: the cosine). Reading a quarter of the bytes is what keeps a scan of 100k × 384
/// within a few milliseconds; the exact second pass gives back float ranks and scores.
/// </summary>
internal sealed class DenseIndex
{
    /// <summary>Approximate candidates per wanted result that are rescored exactly.</summary>
    public const int RescoreFactor = 4;

    private const int MinRescored = 64;

    // Keyed by segment core: a searcher reopened after a commit reuses every unchanged segment's matrix,
    // and a segment merged away is collected with its core.
    private readonly ConditionalWeakTable<object, SegmentVectors> _segments = new();

    /// <summary>
    /// The <paramref name="top"/> passages nearest to <paramref name="query"/> (a unit vector) among those
    /// embedded in <paramref name="space"/>: top-level document and cosine, best first (ties: lower
    /// document first). Deleted passages and, with <paramref name="product"/>, other product areas are skipped.
    /// </summary>
    public List<(int Doc, float Score)> Search(IndexReader reader, ReadOnlySpan<float> query, int top, IReadOnlyList<string>? areas, long space)
    {
        ArgumentNullException.ThrowIfNull(reader);
        if (top <= 0 || query.IsEmpty)
        {
            return [];
        }

        var stride = SegmentVectors.StrideOf(query.Length);
        var codes = new sbyte[stride];
        var queryScale = SegmentVectors.Quantize(query, codes);
        if (queryScale == 0f)
        {
            return [];
        }

        var leaves = reader.Leaves;
        var keep = Math.Max(top * RescoreFactor, MinRescored);
        var candidates = new PriorityQueue<(int Leaf, int Row), float>(keep + 1);
        var segments = new SegmentVectors[leaves.Count];
        for (var l = 0; l < leaves.Count; l++)
        {
            var leaf = leaves[l].AtomicReader;
            var segment = segments[l] = Segment(leaf, space);
            if (segment.Count == 0 || segment.Dimensions != query.Length || !Allowed(leaf, areas, out var allowed))
            {
                continue;
            }

            Scan(segment, codes, allowed, l, candidates, keep);
        }

        return Rescore(leaves, segments, candidates, query, top);
    }

    /// <summary>Reads every segment of <paramref name="reader"/> not read yet, so the next search need not.</summary>
    public void Warm(IndexReader reader, long space)
    {
        ArgumentNullException.ThrowIfNull(reader);
        foreach (var leaf in reader.Leaves)
        {
            Segment(leaf.AtomicReader, space);
        }
    }

    private static void Scan(SegmentVectors segment, ReadOnlySpan<sbyte> query, IBits? allowed, int leaf, PriorityQueue<(int Leaf, int Row), float> candidates, int keep)
    {
        var docs = segment.Docs;
        var scales = segment.Scales;
        var floor = candidates.Count >= keep && candidates.TryPeek(out _, out var lowest) ? lowest : float.NegativeInfinity;
        for (var row = 0; row < segment.Count; row++)
        {
            if (allowed is not null && !allowed.Get(docs[row]))
            {
                continue;
            }

            var score = Int8Dot.Dot(segment.Row(row), query) * scales[row];
            if (score <= floor)
            {
                continue;
            }

            if (candidates.Count < keep)
            {
                candidates.Enqueue((leaf, row), score);
                if (candidates.Count == keep)
                {
                    candidates.TryPeek(out _, out floor);
                }
            }
            else
            {
                candidates.EnqueueDequeue((leaf, row), score);
                candidates.TryPeek(out _, out floor);
            }
        }
    }

    private static List<(int Doc, float Score)> Rescore(IList<AtomicReaderContext> leaves, SegmentVectors[] segments, PriorityQueue<(int Leaf, int Row), float> candidates, ReadOnlySpan<float> query, int top)
    {
        var scored = new List<(int Doc, float Score)>(candidates.Count);
        var values = new BinaryDocValues?[leaves.Count];
        var bytes = new BytesRef();
        Span<float> vector = query.Length <= 4096 ? stackalloc float[query.Length] : new float[query.Length];
        while (candidates.TryDequeue(out var candidate, out _))
        {
            var context = leaves[candidate.Leaf];
            var doc = segments[candidate.Leaf].Docs[candidate.Row];
            var docValues = values[candidate.Leaf] ??= context.AtomicReader.GetBinaryDocValues(IndexFields.Vector);
            docValues.Get(doc, bytes);
            VectorCodec.Decode(bytes.Bytes.AsSpan(bytes.Offset, bytes.Length), vector);
            scored.Add((context.DocBase + doc, TensorPrimitives.Dot(vector, query)));
        }

        scored.Sort(static (x, y) => y.Score != x.Score ? y.Score.CompareTo(x.Score) : x.Doc.CompareTo(y.Doc));
        if (scored.Count > top)
        {
            scored.RemoveRange(top, scored.Count - top);
        }

        return scored;
    }

    private SegmentVectors Segment(AtomicReader reader, long space)
    {
        var segment = _segments.GetValue(reader.CoreCacheKey, _ => SegmentVectors.Read(reader, space));
        if (segment.Space != space)
        {
            // Another embedding model in the same process (tests, tools): rebuild for it.
            segment = SegmentVectors.Read(reader, space);
            _segments.AddOrUpdate(reader.CoreCacheKey, segment);
        }

        return segment;
    }

    /// <summary>Which documents may be returned: the live ones, and with a product only that product's; false when none can.</summary>
    /// <summary>The documents of <paramref name="areas"/> (null: every live one); false when the segment has none.</summary>
    private static bool Allowed(AtomicReader reader, IReadOnlyList<string>? areas, out IBits? allowed)
    {
        if (areas is null)
        {
            allowed = reader.LiveDocs;
            return true;
        }

        allowed = null;
        FixedBitSet? bits = null;
        foreach (var area in areas)
        {
            var docs = reader.GetTermDocsEnum(new Term(IndexFields.Product, area)); // live documents only
            if (docs is null)
            {
                continue;
            }

            bits ??= new FixedBitSet(reader.MaxDoc);
            int doc;
            while ((doc = docs.NextDoc()) != DocIdSetIterator.NO_MORE_DOCS)
            {
                bits.Set(doc);
            }
        }

        allowed = bits;
        return bits is not null;
    }
}
