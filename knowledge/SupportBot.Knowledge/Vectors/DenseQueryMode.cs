namespace SupportBot.Knowledge.Vectors;

/// <summary>How a thread becomes the dense query (<c>Knowledge:Search:DenseQuery</c>).</summary>
public enum DenseQueryMode
{
    /// <summary>Each turn embedded on its own; the vectors summed with the turns' BM25 weights.</summary>
    Turns,

    /// <summary>The question and the earlier turns (most recent first) joined into one text, embedded once.</summary>
    Joined,
}
