using Microsoft.Extensions.Logging;

namespace SupportBot.Core.Surfaces;

/// <summary>
/// Shows a growing answer at the platforms' pace without holding up the model: at most one update per
/// <c>interval</c> as the platform receives them (Slack edits and Teams streaming updates: about one a
/// second), always the newest
/// text (older ones waiting for a slot are dropped), sent in the background. A failed update is skipped,
/// a throttled one pushes the next slot back by the platform's <c>Retry-After</c>; the final reply waits
/// for the update in flight (up to <see cref="UpdateGrace"/>, then it is abandoned) and for its own slot,
/// so the last edit is never overtaken by an older one nor rate-limited.
/// </summary>
public sealed partial class PacedStreamingReply(IStreamingReply inner, TimeProvider time, TimeSpan defaultInterval, ILogger logger) : IStreamingReply, IDisposable
{
    private readonly TimeSpan _interval = inner.Interval ?? defaultInterval;

    /// <summary>The platforms' documented pace for in-place updates.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(1);

    /// <summary>How long the final reply waits for a hung update before cancelling it.</summary>
    public static readonly TimeSpan UpdateGrace = TimeSpan.FromSeconds(5);

    private readonly CancellationTokenSource _abandon = new();
    private readonly TaskCompletionSource _completing = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private readonly Lock _gate = new();
    private string? _pending;
    private bool _pumping;
    private Task _pump = Task.CompletedTask;
    // A stream with a pace of its own began with a request of its own: the first update waits one interval after it.
    private DateTimeOffset _nextSlot = inner.Interval is { } own ? time.GetUtcNow() + own : DateTimeOffset.MinValue;
    private int _shown;

    public TimeSpan? Interval => _interval;

    public PostedReply? Posted => inner.Posted;

    /// <summary>How many updates reached the platform.</summary>
    public int Shown => Volatile.Read(ref _shown);

    /// <summary>Queues <paramref name="partialText"/> for the next slot and returns at once.</summary>
    public Task UpdateAsync(string partialText, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(partialText))
        {
            return Task.CompletedTask;
        }

        lock (_gate)
        {
            if (_completing.Task.IsCompleted)
            {
                return Task.CompletedTask;
            }

            _pending = partialText;
            if (!_pumping)
            {
                _pumping = true;
                _pump = Task.Run(() => PumpAsync(cancellationToken), CancellationToken.None);
            }
        }

        return Task.CompletedTask;
    }

    public async Task CompleteAsync(Reply reply, CancellationToken cancellationToken)
    {
        Task pump;
        lock (_gate)
        {
            _completing.TrySetResult();
            _pending = null;
            pump = _pump;
        }

        try
        {
            await pump.WaitAsync(UpdateGrace, time, cancellationToken);
        }
        catch (TimeoutException)
        {
            // A hung update must not keep the answer back; cancelled, it cannot land after the final one.
            LogUpdateAbandoned(logger, UpdateGrace.TotalSeconds);
            await _abandon.CancelAsync();
            await IgnoreCancellationAsync(pump, cancellationToken);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
        }

        await WaitForSlotAsync(cancellationToken);
        await inner.CompleteAsync(reply, cancellationToken);
    }

    public void Dispose() => _abandon.Dispose();

    private static async Task IgnoreCancellationAsync(Task pump, CancellationToken cancellationToken)
    {
        try
        {
            await pump;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async Task PumpAsync(CancellationToken messageToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(messageToken, _abandon.Token);
        var cancellationToken = linked.Token;
        while (true)
        {
            await WaitForSlotOrCompletionAsync(cancellationToken);
            string text;
            lock (_gate)
            {
                if (_pending is null || _completing.Task.IsCompleted)
                {
                    _pumping = false;
                    return;
                }

                text = _pending;
                _pending = null;
            }

            // The next slot counts from when this call is answered: the platform then has seen it, so
            // however long a request travels, two never arrive closer together than the interval.
            var wait = _interval;
            try
            {
                await inner.UpdateAsync(text, cancellationToken);
                Interlocked.Increment(ref _shown);
            }
            catch (ReplyThrottledException ex)
            {
                wait = ex.RetryAfter > _interval ? ex.RetryAfter : _interval;
                LogThrottled(logger, wait.TotalSeconds);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                // Only a glimpse of the answer was lost: the next update or the final reply replaces it.
                LogUpdateFailed(logger, ex.GetType().Name);
            }
            finally
            {
                _nextSlot = time.GetUtcNow() + wait;
            }
        }
    }

    /// <summary>The pump's wait: over at the next slot, or as soon as the final reply takes over.</summary>
    private async Task WaitForSlotOrCompletionAsync(CancellationToken cancellationToken)
    {
        var wait = _nextSlot - time.GetUtcNow();
        if (wait <= TimeSpan.Zero)
        {
            return;
        }

        using var sleep = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var delay = Task.Delay(wait, time, sleep.Token);
        if (await Task.WhenAny(delay, _completing.Task) == delay)
        {
            await delay;
        }
        else
        {
            await sleep.CancelAsync();
        }
    }

    private async Task WaitForSlotAsync(CancellationToken cancellationToken)
    {
        var wait = _nextSlot - time.GetUtcNow();
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, time, cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "A streamed answer update was rate-limited; the next one waits {Seconds} s")]
    private static partial void LogThrottled(ILogger logger, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A streamed answer update hung for {Seconds} s; cancelled so the final reply can go out")]
    private static partial void LogUpdateAbandoned(ILogger logger, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A streamed answer update failed ({Error}); skipped")]
    private static partial void LogUpdateFailed(ILogger logger, string error);
}
