namespace SupportBot.Core.Surfaces;

/// <summary>
/// Passes a growing answer on at most once per <c>interval</c>: chat platforms rate-limit message
/// updates (about one per second per channel on Slack, per conversation on Teams).
/// </summary>
public sealed class PartialUpdates(TimeProvider time, TimeSpan interval, Func<string, CancellationToken, Task> publish)
{
    /// <summary>The platforms' documented pace for in-place updates.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(1);

    private DateTimeOffset _last = DateTimeOffset.MinValue;

    public int Published { get; private set; }

    public async Task OnPartialAsync(string text, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (string.IsNullOrWhiteSpace(text) || now - _last < interval)
        {
            return;
        }

        _last = now;
        Published++;
        await publish(text, cancellationToken);
    }
}
