using System.Collections.Concurrent;

namespace SupportBot.Core.Curation;

/// <summary>The embedded default: this process's curation, lost on restart.</summary>
internal sealed class InMemoryCurationStore : ICurationStore
{
    private readonly ConcurrentDictionary<string, ArticleCuration> _entries = new(StringComparer.Ordinal);

    public Task<IReadOnlyDictionary<string, ArticleCuration>> ReadAllAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyDictionary<string, ArticleCuration>>(new Dictionary<string, ArticleCuration>(_entries, StringComparer.Ordinal));

    public Task SetAsync(ArticleCuration curation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(curation);
        if (curation.State == CurationState.Normal)
        {
            _entries.TryRemove(curation.ArticleId, out _);
        }
        else
        {
            _entries[curation.ArticleId] = curation;
        }

        return Task.CompletedTask;
    }
}
