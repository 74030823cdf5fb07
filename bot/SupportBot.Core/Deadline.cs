namespace SupportBot.Core;

/// <summary>
/// A cancellation that fires when the caller cancels or when <c>after</c> has passed on <see cref="TimeProvider"/>'s
/// clock, whichever comes first (a linked source cannot take a time provider, so the timer is a source of its own).
/// </summary>
public sealed class Deadline : IDisposable
{
    private readonly CancellationTokenSource _timer;
    private readonly CancellationTokenSource _linked;

    public Deadline(TimeSpan after, TimeProvider time, CancellationToken cancellationToken = default)
    {
        _timer = new CancellationTokenSource(after, time);
        _linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _timer.Token);
    }

    public CancellationToken Token => _linked.Token;

    /// <summary>True when the time ran out (as opposed to the caller cancelling).</summary>
    public bool Expired => _timer.IsCancellationRequested;

    public void Dispose()
    {
        _linked.Dispose();
        _timer.Dispose();
    }
}
