namespace SupportBot.Core.Audit;

/// <summary>The audit trail of accesses to protected data; ops leads read it, entries expire after a retention.</summary>
public interface IAuditTrail
{
    Task RecordAsync(AuditEntry entry, CancellationToken cancellationToken);

    /// <summary>The newest <paramref name="count"/> entries, newest first.</summary>
    Task<IReadOnlyList<AuditEntry>> ReadAsync(int count, CancellationToken cancellationToken);
}
