namespace SupportBot.Core.Escalations;

/// <summary>The surfaces that can open and post into threads, by name.</summary>
public sealed class ThreadPosters(IEnumerable<IThreadPoster> posters)
{
    private readonly Dictionary<string, IThreadPoster> _byName = posters.ToDictionary(p => p.Name, StringComparer.Ordinal);

    public IThreadPoster? For(string surface) => _byName.GetValueOrDefault(surface);
}
