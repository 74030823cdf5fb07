namespace SupportBot.Core.Cases;

/// <summary>Who opened a case.</summary>
public sealed record CaseRequester(string Name, string Email);

/// <summary>One update (comment) on a case; an internal note (<paramref name="Public"/> false) is never shown in chat.</summary>
public sealed record CaseUpdate(DateTimeOffset At, string Author, string Text, bool Public = true);

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

    /// <summary>No case system is set up for this deployment (the built-in samples serve only the local default).</summary>
    NotConfigured,
}

public sealed record CaseLookup(CaseLookupStatus Status, SupportCase? Case = null, string? Problem = null)
{
    public static CaseLookup Found(SupportCase supportCase) => new(CaseLookupStatus.Found, supportCase);

    public static readonly CaseLookup NotFound = new(CaseLookupStatus.NotFound);

    public static CaseLookup Unavailable(string problem) => new(CaseLookupStatus.Unavailable, Problem: problem);

    public static readonly CaseLookup NotConfigured = new(CaseLookupStatus.NotConfigured);
}

/// <summary>
/// The provider of a deployment that faces real users (Slack or Teams configured) but has no case system set:
/// the built-in sample cases must never be shown to them as if they were real.
/// </summary>
internal sealed class UnconfiguredCaseProvider : ICaseProvider
{
    public Task<CaseLookup> FindAsync(string id, CancellationToken cancellationToken) => Task.FromResult(CaseLookup.NotConfigured);
}

/// <summary>Where cases come from: the built-in file, or Zendesk.</summary>
public interface ICaseProvider
{
    Task<CaseLookup> FindAsync(string id, CancellationToken cancellationToken);
}
