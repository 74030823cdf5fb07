namespace SupportBot.Teams.Package;

/// <summary>
/// The app icons Teams requires: <c>color.png</c> 192×192 (full colour) and <c>outline.png</c> 32×32
/// (white on transparent). Both show a speech bubble with three answer lines, drawn with 4×4
/// supersampling so edges are smooth.
/// </summary>
internal static class TeamsIcons
{
    public const int ColorSize = 192;
    public const int OutlineSize = 32;

    // #3B5BDB, the manifest's accent colour.
    private static readonly (byte R, byte G, byte B) Accent = (0x3B, 0x5B, 0xDB);

    public static byte[] Color() => Draw(ColorSize, background: true);

    public static byte[] Outline() => Draw(OutlineSize, background: false);

    private static byte[] Draw(int size, bool background)
    {
        const int samples = 4;
        var pixels = new byte[size * size * 4];
        for (var y = 0; y < size; y++)
        {
            for (var x = 0; x < size; x++)
            {
                int bubble = 0, lines = 0;
                for (var sy = 0; sy < samples; sy++)
                {
                    for (var sx = 0; sx < samples; sx++)
                    {
                        // Coordinates in a unit square.
                        var u = (x + (sx + 0.5) / samples) / size;
                        var v = (y + (sy + 0.5) / samples) / size;
                        if (InBubble(u, v))
                        {
                            bubble++;
                            if (InLine(u, v))
                            {
                                lines++;
                            }
                        }
                    }
                }

                var total = samples * samples;
                var i = (y * size + x) * 4;
                if (background)
                {
                    // Accent background; white bubble; accent answer lines inside it.
                    var white = (bubble - lines) / (double)total;
                    pixels[i] = Mix(Accent.R, 255, white);
                    pixels[i + 1] = Mix(Accent.G, 255, white);
                    pixels[i + 2] = Mix(Accent.B, 255, white);
                    pixels[i + 3] = 255;
                }
                else
                {
                    // White only; the answer lines are cut out (transparent).
                    pixels[i] = pixels[i + 1] = pixels[i + 2] = 255;
                    pixels[i + 3] = (byte)Math.Round(255.0 * (bubble - lines) / total);
                }
            }
        }

        return PngWriter.Write(size, size, pixels);
    }

    private static byte Mix(byte from, byte to, double amount) => (byte)Math.Round(from + ((to - from) * amount));

    /// <summary>A rounded rectangle with a tail at its lower left.</summary>
    private static bool InBubble(double u, double v)
    {
        if (InRoundedRect(u, v, 0.16, 0.2, 0.84, 0.68, 0.1))
        {
            return true;
        }

        // Tail: a triangle below the body.
        return v >= 0.66 && v <= 0.84 && u >= 0.26 && u <= 0.26 + ((0.84 - v) / 0.18 * 0.16);
    }

    private static bool InLine(double u, double v) =>
        (v is >= 0.31 and <= 0.36 && u is >= 0.27 and <= 0.73)
        || (v is >= 0.42 and <= 0.47 && u is >= 0.27 and <= 0.73)
        || (v is >= 0.53 and <= 0.58 && u is >= 0.27 and <= 0.55);

    private static bool InRoundedRect(double u, double v, double left, double top, double right, double bottom, double radius)
    {
        if (u < left || u > right || v < top || v > bottom)
        {
            return false;
        }

        var cx = Math.Clamp(u, left + radius, right - radius);
        var cy = Math.Clamp(v, top + radius, bottom - radius);
        var dx = u - cx;
        var dy = v - cy;
        return (dx * dx) + (dy * dy) <= radius * radius;
    }
}
