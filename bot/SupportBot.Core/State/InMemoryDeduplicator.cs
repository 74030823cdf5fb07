using System.Collections.Concurrent;

namespace SupportBot.Core.State;

/// <summary>The embedded default: claims in this process only.</summary>
internal sealed class InMemoryDeduplicator(TimeProvider time) : IDeduplicator
{
    private const int SweepEvery = 4096;

    private readonly ConcurrentDictionary<string, DateTimeOffset> _claims = new(StringComparer.Ordinal);
    private long _claimsSinceSweep;

    public Task<bool> TryClaimAsync(string key, TimeSpan ttl, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var claimed = false;
        _claims.AddOrUpdate(
            key,
            _ =>
            {
                claimed = true;
                return now + ttl;
            },
            (_, expires) =>
            {
                claimed = expires <= now;
                return claimed ? now + ttl : expires;
            });
        // Expired claims are dropped in a sweep every few thousand claims: amortised O(1), and never
        // ConcurrentDictionary.Count on the hot path (it takes every lock).
        if (Interlocked.Increment(ref _claimsSinceSweep) % SweepEvery == 0)
        {
            foreach (var (k, expires) in _claims)
            {
                if (expires <= now)
                {
                    _claims.TryRemove(k, out _);
                }
            }
        }

        return Task.FromResult(claimed);
    }

    public Task HoldAsync(string key, TimeSpan ttl, CancellationToken cancellationToken)
    {
        _claims[key] = time.GetUtcNow() + ttl;
        return Task.CompletedTask;
    }

    public Task ReleaseAsync(string key, CancellationToken cancellationToken)
    {
        _claims.TryRemove(key, out _);
        return Task.CompletedTask;
    }
}
