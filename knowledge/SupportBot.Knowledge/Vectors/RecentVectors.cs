using System.Collections.Concurrent;

namespace SupportBot.Knowledge.Vectors;

/// <summary>
/// A bounded map of text → vector kept for texts seen lately, in two generations: when the current one holds
/// <c>capacity</c> entries it becomes the previous one (the older previous is dropped), and a hit in the previous one
/// moves back to the current. So it never holds more than twice the capacity, and what is used stays.
/// </summary>
internal sealed class RecentVectors(int capacity)
{
    private readonly System.Threading.Lock _turn = new();
    private ConcurrentDictionary<string, float[]> _current = new(StringComparer.Ordinal);
    private ConcurrentDictionary<string, float[]> _previous = new(StringComparer.Ordinal);

    public float[]? TryGet(string text)
    {
        if (_current.TryGetValue(text, out var vector))
        {
            return vector;
        }

        if (_previous.TryGetValue(text, out vector))
        {
            Add(text, vector);
            return vector;
        }

        return null;
    }

    public void Add(string text, float[] vector)
    {
        _current[text] = vector;
        if (_current.Count >= capacity)
        {
            lock (_turn)
            {
                if (_current.Count >= capacity)
                {
                    _previous = _current;
                    _current = new ConcurrentDictionary<string, float[]>(StringComparer.Ordinal);
                }
            }
        }
    }

    public int Count => _current.Count + _previous.Count;
}
