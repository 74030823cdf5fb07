using System.Collections.Concurrent;

namespace SupportBot.Core.State;

/// <summary>The lock of a single process (no Redis): names held by a run of this process.</summary>
public sealed class InMemoryRunLock : IRunLock
{
    private readonly ConcurrentDictionary<string, byte> _held = new(StringComparer.Ordinal);

    public Task<IRunLease?> TryAcquireAsync(string name, CancellationToken cancellationToken) =>
        Task.FromResult<IRunLease?>(_held.TryAdd(name, 0) ? new Lease(this, name) : null);

    private sealed class Lease(InMemoryRunLock owner, string name) : IRunLease
    {
        public CancellationToken Lost => CancellationToken.None;

        public ValueTask DisposeAsync()
        {
            owner._held.TryRemove(name, out _);
            return ValueTask.CompletedTask;
        }
    }
}
