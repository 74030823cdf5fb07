using System.Buffers.Binary;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace SupportBot.Knowledge.Vectors;

/// <summary>
/// Vectors as the index stores them: L2-normalised (so a dot product is the cosine) float32,
/// little-endian, in a binary doc value beside the passage.
/// </summary>
internal static class VectorCodec
{
    /// <summary>The unit vector in the direction of <paramref name="vector"/>; null when it has no direction or is not finite.</summary>
    public static float[]? Normalize(ReadOnlySpan<float> vector)
    {
        var norm = TensorPrimitives.Norm(vector);
        if (vector.IsEmpty || !float.IsFinite(norm) || norm <= 0f)
        {
            return null;
        }

        var unit = new float[vector.Length];
        TensorPrimitives.Divide(vector, norm, unit);
        return unit;
    }

    public static byte[] Encode(ReadOnlySpan<float> vector)
    {
        var bytes = new byte[vector.Length * sizeof(float)];
        if (BitConverter.IsLittleEndian)
        {
            MemoryMarshal.AsBytes(vector).CopyTo(bytes);
        }
        else
        {
            for (var i = 0; i < vector.Length; i++)
            {
                BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), vector[i]);
            }
        }

        return bytes;
    }

    /// <summary>Reads a stored vector into <paramref name="into"/> (whose length is the vector's dimensions).</summary>
    public static void Decode(ReadOnlySpan<byte> bytes, Span<float> into)
    {
        if (BitConverter.IsLittleEndian)
        {
            MemoryMarshal.Cast<byte, float>(bytes[..(into.Length * sizeof(float))]).CopyTo(into);
            return;
        }

        for (var i = 0; i < into.Length; i++)
        {
            into[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes[(i * sizeof(float))..]);
        }
    }
}
