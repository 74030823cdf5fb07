namespace SupportBot.Core.Cases;

/// <summary>Who opened a case.</summary>
public sealed record CaseRequester(string Name, string Email);

/// <summary>One update (comment) on a case.</summary>
public sealed record CaseUpdate(DateTimeOffset At, string Author, string Text);

/// <summary>A support case as a case system holds it (unmasked: mask before showing or storing).</summary>
public sealed record SupportCase(
    string Id,
    string Subject,
    string Status,
    string Priority,
    string Product,
    CaseRequester Requester,
    string Assignee,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    IReadOnlyList<CaseUpdate> Updates);

/// <summary>The outcome of a lookup.</summary>
public enum CaseLookupStatus
{
    Found,
    NotFound,

    /// <summary>The case system could not be asked (down, refused our credentials, timed out).</summary>
    Unavailable,
}

public sealed record CaseLookup(CaseLookupStatus Status, SupportCase? Case = null, string? Problem = null)
{
    public static CaseLookup Found(SupportCase supportCase) => new(CaseLookupStatus.Found, supportCase);

    public static readonly CaseLookup NotFound = new(CaseLookupStatus.NotFound);

    public static CaseLookup Unavailable(string problem) => new(CaseLookupStatus.Unavailable, Problem: problem);
}

/// <summary>Where cases come from: the built-in file, or Zendesk.</summary>
public interface ICaseProvider
{
    Task<CaseLookup> FindAsync(string id, CancellationToken cancellationToken);
}
