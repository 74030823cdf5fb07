namespace SupportBot.Core.State;

/// <summary>What an erasure removed, per kind of data (e.g. <c>conversations: 3</c>).</summary>
public sealed record ErasureReport(string Subject, IReadOnlyDictionary<string, int> Removed)
{
    public int Total => Removed.Values.Sum();
}

/// <summary>Removes a person's or a case's data on request (<c>supportbot erase</c>).</summary>
public interface IDataEraser
{
    /// <summary>
    /// The user's conversations (history and replies) and their dashboard records, which name the user as the
    /// dashboard shows them: by <paramref name="userId"/>, and by <paramref name="displayName"/> when given.
    /// </summary>
    Task<ErasureReport> EraseUserAsync(string userId, string? displayName, CancellationToken cancellationToken);

    /// <summary>The case's escalations (with their thread and case indexes) and dashboard records that mention it.</summary>
    Task<ErasureReport> EraseCaseAsync(string caseId, CancellationToken cancellationToken);
}
