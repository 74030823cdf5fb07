using System.Collections.Concurrent;

namespace SupportBot.Core.State;

/// <summary>
/// The embedded default: claims in this process only. Expired claims are dropped a few at a time as new
/// ones arrive, oldest first, from a queue in claim order: no claim ever waits for a scan of them all.
/// </summary>
internal sealed class InMemoryDeduplicator(TimeProvider time) : IDeduplicator
{
    // Each claim retires at most this many expired ones, so the expiry queue drains faster than it fills.
    private const int RetireBatch = 4;

    private readonly ConcurrentDictionary<string, byte> _done = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _claims = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<KeyValuePair<string, DateTimeOffset>> _expiries = new();

    /// <summary>Claims held (expired ones not yet retired included).</summary>
    internal int Count => _claims.Count;

    public Task<bool> TryClaimAsync(string key, TimeSpan ttl, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var claimed = TryClaim(key, now, now + ttl);
        Retire(now);
        return Task.FromResult(claimed);
    }

    /// <summary>Takes a new claim, or one whose holder's expiry has passed; compare-and-swap, no lock and no closure.</summary>
    private bool TryClaim(string key, DateTimeOffset now, DateTimeOffset expires)
    {
        while (true)
        {
            if (_claims.TryAdd(key, expires))
            {
                _expiries.Enqueue(new(key, expires));
                return true;
            }

            if (!_claims.TryGetValue(key, out var current))
            {
                continue; // retired between the two calls: try to add again
            }

            if (current > now)
            {
                return false;
            }

            if (_claims.TryUpdate(key, expires, current))
            {
                _done.TryRemove(key, out _); // an expired "done" is claimed afresh
                _expiries.Enqueue(new(key, expires));
                return true;
            }
        }
    }

    public Task HoldAsync(string key, TimeSpan ttl, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var expires = now + ttl;
        _claims[key] = expires;
        _done[key] = 0;
        _expiries.Enqueue(new(key, expires));
        Retire(now);
        return Task.CompletedTask;
    }

    public Task<bool> RenewAsync(string key, TimeSpan ttl, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var renewed = !_done.ContainsKey(key)
            && _claims.TryGetValue(key, out var current)
            && current > now
            && _claims.TryUpdate(key, now + ttl, current);
        if (renewed)
        {
            _expiries.Enqueue(new(key, now + ttl));
        }

        return Task.FromResult(renewed);
    }

    public Task<bool> IsDoneAsync(string key, CancellationToken cancellationToken) =>
        Task.FromResult(_done.ContainsKey(key) && _claims.TryGetValue(key, out var expires) && expires > time.GetUtcNow());

    public Task ReleaseAsync(string key, CancellationToken cancellationToken)
    {
        _claims.TryRemove(key, out _);
        _done.TryRemove(key, out _);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Drops claims from the head of the queue once they have expired. An entry is removed only while the
    /// claim still carries the expiry it was queued with, so a renewed claim survives its old entry.
    /// Claims queued behind a longer-lived one wait for it; <see cref="TryClaimAsync"/> checks expiry
    /// itself, so that only delays freeing their memory.
    /// </summary>
    private void Retire(DateTimeOffset now)
    {
        for (var i = 0; i < RetireBatch && _expiries.TryPeek(out var head) && head.Value <= now; i++)
        {
            if (_expiries.TryDequeue(out var entry) && _claims.TryRemove(entry))
            {
                _done.TryRemove(entry.Key, out _);
            }
        }
    }
}
