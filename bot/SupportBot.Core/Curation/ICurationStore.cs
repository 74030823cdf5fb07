namespace SupportBot.Core.Curation;

/// <summary>Ops leads' curation of articles, shared by every replica. Kept until changed.</summary>
public interface ICurationStore
{
    /// <summary>Every curated article (boosted or hidden), by article id.</summary>
    Task<IReadOnlyDictionary<string, ArticleCuration>> ReadAllAsync(CancellationToken cancellationToken);

    /// <summary>Sets an article's state; <see cref="CurationState.Normal"/> removes its entry.</summary>
    Task SetAsync(ArticleCuration curation, CancellationToken cancellationToken);
}
