namespace SupportBot.Core.Configuration;

/// <summary>
/// A settings file checked for changes by its last write time (polled: mounted ConfigMaps and secrets change by
/// symlink swaps that file watchers miss). A version is taken once whether or not it was valid, so a broken file is
/// not retried until it changes again.
/// </summary>
public sealed class WatchedFile(string path)
{
    private DateTime _seen;

    public string Path { get; } = path;

    /// <summary>Records the current version as read (at start, when the file was loaded by other means).</summary>
    public void MarkRead() => _seen = Version() ?? default;

    /// <summary>Forgets the version read, so the next <see cref="TakeChange"/> reports the file as changed.</summary>
    public void Forget() => _seen = default;

    /// <summary>True, once, when the file changed since it was last taken or marked; false when unchanged or unreadable.</summary>
    public bool TakeChange()
    {
        if (Version() is not { } version || version == _seen)
        {
            return false;
        }

        _seen = version;
        return true;
    }

    private DateTime? Version()
    {
        try
        {
            return File.Exists(Path) ? File.GetLastWriteTimeUtc(Path) : null;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
