using Microsoft.Extensions.Logging;

namespace SupportBot.Core.Surfaces;

/// <summary>
/// Shows a growing answer at the platforms' pace without holding up the model: at most one update per
/// <c>interval</c> (Slack edits and Teams streaming updates: about one a second), always the newest
/// text (older ones waiting for a slot are dropped), sent in the background. A failed update is skipped,
/// a throttled one pushes the next slot back by the platform's <c>Retry-After</c>; the final reply waits
/// for the update in flight and for its own slot, so the last edit is never overtaken or rate-limited.
/// </summary>
public sealed partial class PacedStreamingReply(IStreamingReply inner, TimeProvider time, TimeSpan interval, ILogger logger) : IStreamingReply
{
    /// <summary>The platforms' documented pace for in-place updates.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(1);

    private readonly Lock _gate = new();
    private string? _pending;
    private bool _pumping;
    private bool _completing;
    private Task _pump = Task.CompletedTask;
    private DateTimeOffset _nextSlot = DateTimeOffset.MinValue;
    private int _shown;

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
            if (_completing)
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
            _completing = true;
            _pending = null;
            pump = _pump;
        }

        try
        {
            await pump;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
        }

        await WaitForSlotAsync(cancellationToken);
        await inner.CompleteAsync(reply, cancellationToken);
    }

    private async Task PumpAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            await WaitForSlotAsync(cancellationToken);
            string text;
            lock (_gate)
            {
                if (_pending is null || _completing)
                {
                    _pumping = false;
                    return;
                }

                text = _pending;
                _pending = null;
            }

            _nextSlot = time.GetUtcNow() + interval;
            try
            {
                await inner.UpdateAsync(text, cancellationToken);
                Interlocked.Increment(ref _shown);
            }
            catch (ReplyThrottledException ex)
            {
                var wait = ex.RetryAfter > interval ? ex.RetryAfter : interval;
                _nextSlot = time.GetUtcNow() + wait;
                LogThrottled(logger, wait.TotalSeconds);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                // Only a glimpse of the answer was lost: the next update or the final reply replaces it.
                LogUpdateFailed(logger, ex.GetType().Name);
            }
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "A streamed answer update failed ({Error}); skipped")]
    private static partial void LogUpdateFailed(ILogger logger, string error);
}
