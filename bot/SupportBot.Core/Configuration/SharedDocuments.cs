namespace SupportBot.Core.Configuration;

/// <summary>A settings document saved from an admin page: its text, a version that grows with every save, who saved it and when.</summary>
public sealed record SharedDocument(string Text, long Version, string SavedBy, DateTimeOffset SavedAt);

/// <summary>
/// Settings documents edited at run time (the channels file from its admin page), shared by every replica. A saved
/// document takes the place of the file it was loaded from until it is deleted (reverting to the file).
/// </summary>
public interface ISharedDocuments
{
    Task<SharedDocument?> GetAsync(string name, CancellationToken cancellationToken);

    /// <summary>Saves <paramref name="text"/> as the new version of <paramref name="name"/> and returns it.</summary>
    Task<SharedDocument> SaveAsync(string name, string text, string savedBy, CancellationToken cancellationToken);

    Task DeleteAsync(string name, CancellationToken cancellationToken);
}

/// <summary>The embedded default: one process, so shared with itself.</summary>
internal sealed class InMemorySharedDocuments(TimeProvider time) : ISharedDocuments
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, SharedDocument> _documents = new(StringComparer.Ordinal);
    private long _version;

    public Task<SharedDocument?> GetAsync(string name, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_documents.GetValueOrDefault(name));
        }
    }

    public Task<SharedDocument> SaveAsync(string name, string text, string savedBy, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var saved = new SharedDocument(text, ++_version, savedBy, time.GetUtcNow());
            _documents[name] = saved;
            return Task.FromResult(saved);
        }
    }

    public Task DeleteAsync(string name, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _documents.Remove(name);
            return Task.CompletedTask;
        }
    }
}
