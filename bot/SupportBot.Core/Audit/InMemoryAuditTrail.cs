namespace SupportBot.Core.Audit;

/// <summary>The embedded default: the newest entries of this process.</summary>
internal sealed class InMemoryAuditTrail : IAuditTrail
{
    internal const int Capacity = 10_000;

    private readonly Lock _gate = new();
    private readonly LinkedList<AuditEntry> _entries = new();

    public Task RecordAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        lock (_gate)
        {
            _entries.AddFirst(entry);
            if (_entries.Count > Capacity)
            {
                _entries.RemoveLast();
            }
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<AuditEntry>> ReadAsync(int count, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<AuditEntry>>([.. _entries.Take(Math.Max(0, count))]);
        }
    }
}
