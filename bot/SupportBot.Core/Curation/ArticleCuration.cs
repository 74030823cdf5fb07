namespace SupportBot.Core.Curation;

/// <summary>What an ops lead decided about an article.</summary>
public enum CurationState
{
    /// <summary>Ranked on its merits (the state of every article nobody curated).</summary>
    Normal,

    /// <summary>Weighs more among the passages a question retrieves (<c>Knowledge:Search:BoostedWeight</c>).</summary>
    Boosted,

    /// <summary>Never returned by a search, so never cited.</summary>
    Hidden,
}

/// <summary>An article's curation: its state, who set it and when.</summary>
/// <param name="ArticleId">The article's stable id in the knowledge index (its path below the ingest root).</param>
/// <param name="State">Boosted or hidden; a reset removes the entry.</param>
/// <param name="By">Who set it (a display name and id).</param>
/// <param name="At">When.</param>
public sealed record ArticleCuration(string ArticleId, CurationState State, string By, DateTimeOffset At);
