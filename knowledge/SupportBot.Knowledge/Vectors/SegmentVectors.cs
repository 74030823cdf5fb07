using System.Numerics.Tensors;
using Lucene.Net.Index;
using Lucene.Net.Util;
using SupportBot.Knowledge.Index;

namespace SupportBot.Knowledge.Vectors;

/// <summary>
/// The vectors of one index segment, of one embedding space, as one contiguous matrix of int8 codes
/// (a quarter of the float32 bytes, which is what a scan is bound by) with a scale per row. Built once
/// per segment core: a reopened searcher shares it for every segment that did not change; deleted
/// passages stay in it and are skipped at search time.
/// </summary>
internal sealed class SegmentVectors
{
    private SegmentVectors(long space, int dimensions, int count, sbyte[] codes, float[] scales, int[] docs, int stride)
    {
        Space = space;
        Dimensions = dimensions;
        Count = count;
        Codes = codes;
        Scales = scales;
        Docs = docs;
        Stride = stride;
    }

    public long Space { get; }

    public int Dimensions { get; }

    /// <summary>Row length in <see cref="Codes"/>: the dimensions padded to <see cref="Int8Dot.Block"/>.</summary>
    public int Stride { get; }

    public int Count { get; }

    public sbyte[] Codes { get; }

    /// <summary>Multiply a row's integer dot product by its scale (and the query's) to approximate the cosine.</summary>
    public float[] Scales { get; }

    /// <summary>Segment-relative document of each row, ascending.</summary>
    public int[] Docs { get; }

    public ReadOnlySpan<sbyte> Row(int row) => Codes.AsSpan(row * Stride, Stride);

    public static int StrideOf(int dimensions) => (dimensions + Int8Dot.Block - 1) / Int8Dot.Block * Int8Dot.Block;

    /// <summary>
    /// Reads the segment's vectors of <paramref name="space"/>. Vectors whose length differs from the
    /// first one's (which a consistent model never produces) are left out.
    /// </summary>
    public static SegmentVectors Read(AtomicReader reader, long space)
    {
        var vectors = reader.GetBinaryDocValues(IndexFields.Vector);
        var spaces = reader.GetNumericDocValues(IndexFields.VectorSpace);
        if (vectors is null || spaces is null)
        {
            return new SegmentVectors(space, 0, 0, [], [], [], 0);
        }

        var maxDoc = reader.MaxDoc;
        var rows = 0;
        for (var doc = 0; doc < maxDoc; doc++)
        {
            if (spaces.Get(doc) == space)
            {
                rows++;
            }
        }

        if (rows == 0)
        {
            return new SegmentVectors(space, 0, 0, [], [], [], 0);
        }

        var bytes = new BytesRef();
        int dimensions = 0, stride = 0, count = 0;
        sbyte[] codes = [];
        var scales = new float[rows];
        var docs = new int[rows];
        float[] buffer = [];
        for (var doc = 0; doc < maxDoc && count < rows; doc++)
        {
            if (spaces.Get(doc) != space)
            {
                continue;
            }

            vectors.Get(doc, bytes);
            if (bytes.Length == 0 || bytes.Length % sizeof(float) != 0)
            {
                continue;
            }

            if (dimensions == 0)
            {
                dimensions = bytes.Length / sizeof(float);
                stride = StrideOf(dimensions);
                codes = new sbyte[rows * stride];
                buffer = new float[dimensions];
            }
            else if (bytes.Length != dimensions * sizeof(float))
            {
                continue;
            }

            VectorCodec.Decode(bytes.Bytes.AsSpan(bytes.Offset, bytes.Length), buffer);
            scales[count] = Quantize(buffer, codes.AsSpan(count * stride, stride));
            docs[count] = doc;
            count++;
        }

        return new SegmentVectors(space, dimensions, count, codes, scales, docs, stride);
    }

    /// <summary>
    /// Writes the int8 codes of <paramref name="vector"/> (largest magnitude → ±127) and returns the
    /// scale that turns a code back into its value. The rest of <paramref name="codes"/> stays zero.
    /// </summary>
    public static float Quantize(ReadOnlySpan<float> vector, Span<sbyte> codes)
    {
        var largest = Math.Abs(TensorPrimitives.MaxMagnitude(vector));
        if (!(largest > 0f) || !float.IsFinite(largest))
        {
            codes.Clear();
            return 0f;
        }

        Span<float> scaled = vector.Length <= 1024 ? stackalloc float[vector.Length] : new float[vector.Length];
        TensorPrimitives.Multiply(vector, 127f / largest, scaled);
        TensorPrimitives.Round(scaled, scaled);
        TensorPrimitives.ConvertSaturating<float, sbyte>(scaled, codes[..vector.Length]);
        return largest / 127f;
    }
}
