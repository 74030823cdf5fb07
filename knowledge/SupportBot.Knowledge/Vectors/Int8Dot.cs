using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SupportBot.Knowledge.Vectors;

/// <summary>
/// The dot product of two int8 vectors, summed in 32-bit integers. TensorPrimitives sums in the element
/// type (an sbyte would overflow), hence this kernel. Lengths are equal multiples of <see cref="Block"/>.
/// </summary>
internal static class Int8Dot
{
    /// <summary>Rows are padded with zeros to a multiple of this, so every kernel reads whole vectors.</summary>
    public const int Block = 32;

    public static int Dot(ReadOnlySpan<sbyte> x, ReadOnlySpan<sbyte> y)
    {
        if (x.Length != y.Length || x.Length % Block != 0)
        {
            throw new ArgumentException("vectors must have the same length, a multiple of 32", nameof(y));
        }

        ref var rx = ref MemoryMarshal.GetReference(x);
        ref var ry = ref MemoryMarshal.GetReference(y);
        if (Avx2.IsSupported)
        {
            return DotAvx2(ref rx, ref ry, x.Length);
        }

        if (Vector128.IsHardwareAccelerated)
        {
            return DotVector128(ref rx, ref ry, x.Length);
        }

        var sum = 0;
        for (var i = 0; i < x.Length; i++)
        {
            sum += x[i] * y[i];
        }

        return sum;
    }

    // vpmaddwd multiplies 16-bit lanes and adds neighbours into 32-bit lanes in one step: codes are at
    // most 127 in magnitude, so no lane can overflow.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int DotAvx2(ref sbyte x, ref sbyte y, int length)
    {
        var sum = Vector256<int>.Zero;
        for (var i = 0; i < length; i += Block)
        {
            var (xLow, xHigh) = Vector256.Widen(Vector256.LoadUnsafe(ref x, (nuint)i));
            var (yLow, yHigh) = Vector256.Widen(Vector256.LoadUnsafe(ref y, (nuint)i));
            sum += Avx2.MultiplyAddAdjacent(xLow, yLow) + Avx2.MultiplyAddAdjacent(xHigh, yHigh);
        }

        return Vector256.Sum(sum);
    }

    private static int DotVector128(ref sbyte x, ref sbyte y, int length)
    {
        var sum = Vector128<int>.Zero;
        for (var i = 0; i < length; i += 16)
        {
            var (xLow, xHigh) = Vector128.Widen(Vector128.LoadUnsafe(ref x, (nuint)i));
            var (yLow, yHigh) = Vector128.Widen(Vector128.LoadUnsafe(ref y, (nuint)i));
            var (a, b) = Vector128.Widen(xLow * yLow);
            var (c, d) = Vector128.Widen(xHigh * yHigh);
            sum += a + b + c + d;
        }

        return Vector128.Sum(sum);
    }
}
