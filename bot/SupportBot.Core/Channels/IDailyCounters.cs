using System.Collections.Concurrent;

namespace SupportBot.Core.Channels;

/// <summary>Counters per name and UTC day (answers given in a channel today), shared by every replica.</summary>
public interface IDailyCounters
{
    /// <summary>Adds one to <paramref name="name"/>'s count for <paramref name="day"/> and returns the new count.</summary>
    Task<long> IncrementAsync(string name, DateOnly day, CancellationToken cancellationToken);
}

/// <summary>The embedded default: counts in this process; days before yesterday are dropped as new days begin.</summary>
internal sealed class InMemoryDailyCounters : IDailyCounters
{
    private readonly ConcurrentDictionary<(string Name, DateOnly Day), long> _counts = new();

    public Task<long> IncrementAsync(string name, DateOnly day, CancellationToken cancellationToken)
    {
        var count = _counts.AddOrUpdate((name, day), 1, (_, n) => n + 1);
        if (count == 1)
        {
            foreach (var old in _counts.Keys.Where(k => k.Day < day.AddDays(-1)))
            {
                _counts.TryRemove(old, out _);
            }
        }

        return Task.FromResult(count);
    }
}
