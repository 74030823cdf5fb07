namespace SupportBot.Core.State;

/// <summary>
/// Claims on keys shared by every replica: the first caller wins, the rest see <c>false</c> until
/// the claim expires. Backs "answer every message exactly once".
/// </summary>
public interface IDeduplicator
{
    /// <summary>Claims <paramref name="key"/> for <paramref name="ttl"/>; false when someone holds it.</summary>
    Task<bool> TryClaimAsync(string key, TimeSpan ttl, CancellationToken cancellationToken);

    /// <summary>Keeps a claim for <paramref name="ttl"/> from now (e.g. done: remember it longer).</summary>
    Task HoldAsync(string key, TimeSpan ttl, CancellationToken cancellationToken);

    /// <summary>
    /// Extends a claim still in progress (taken by <see cref="TryClaimAsync"/>, not yet held as done) to
    /// <paramref name="ttl"/> from now; false when it has expired or is held as done.
    /// </summary>
    Task<bool> RenewAsync(string key, TimeSpan ttl, CancellationToken cancellationToken);

    /// <summary>True when <paramref name="key"/> is held as done (<see cref="HoldAsync"/>), not merely claimed.</summary>
    Task<bool> IsDoneAsync(string key, CancellationToken cancellationToken);

    /// <summary>Drops a claim, so that the next caller may take it (work that did not happen).</summary>
    Task ReleaseAsync(string key, CancellationToken cancellationToken);
}
