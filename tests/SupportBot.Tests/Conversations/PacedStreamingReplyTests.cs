using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using SupportBot.Core.Surfaces;

namespace SupportBot.Tests.Conversations;

public sealed class PacedStreamingReplyTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    private static readonly Reply Final = Reply.Notice("Payouts arrive in 2 business days [1].");
    private readonly FakeTimeProvider _time = new();
    private readonly Recording _platform;
    private readonly PacedStreamingReply _stream;

    public PacedStreamingReplyTests()
    {
        _platform = new Recording(_time);
        _stream = new PacedStreamingReply(_platform, _time, Interval, NullLogger.Instance);
    }

    [Fact]
    public async Task The_growing_answer_is_shown_at_most_once_a_second_and_always_the_newest_text()
    {
        await _stream.UpdateAsync("Pay", default);
        await EventuallyAsync(() => _platform.Updates.Count == 1);
        await _stream.UpdateAsync("Payouts", default);
        await _stream.UpdateAsync("Payouts arrive", default);
        await _stream.UpdateAsync("   ", default);

        _time.Advance(TimeSpan.FromMilliseconds(999));
        await Task.Delay(50);
        Assert.Single(_platform.Updates);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        await EventuallyAsync(() => _platform.Updates.Count == 2);

        Assert.Equal(["Pay", "Payouts arrive"], _platform.Updates.Select(u => u.Text));
        Assert.Equal(Interval, _platform.Updates.Last().At - _platform.Updates.First().At);
        Assert.Equal(2, _stream.Shown);
    }

    [Fact]
    public async Task The_final_reply_waits_for_its_slot_and_drops_the_text_still_waiting()
    {
        await _stream.UpdateAsync("Pay", default);
        await EventuallyAsync(() => _platform.Updates.Count == 1);
        _time.Advance(TimeSpan.FromMilliseconds(400));
        await _stream.UpdateAsync("Payouts arrive", default);

        var completing = _stream.CompleteAsync(Final, default);
        await Task.Delay(50);
        Assert.False(completing.IsCompleted);
        await AdvanceUntilAsync(completing);

        Assert.Equal(["Pay"], _platform.Updates.Select(u => u.Text));
        Assert.Equal(Final, _platform.Completed?.Reply);
        Assert.True(_platform.Completed!.Value.At - _platform.Updates.Single().At >= Interval);
    }

    [Fact]
    public async Task A_stream_with_a_pace_of_its_own_waits_that_long_after_it_began_before_its_first_update()
    {
        // Teams: the informative update that began the stream was a request; the first text comes an interval after it.
        var own = TimeSpan.FromSeconds(1.5);
        var platform = new Recording(_time) { Interval = own };
        using var stream = new PacedStreamingReply(platform, _time, Interval, NullLogger.Instance);
        var began = _time.GetUtcNow();

        await stream.UpdateAsync("Pay", default);
        _time.Advance(own - TimeSpan.FromMilliseconds(1));
        await Task.Delay(50);
        Assert.Empty(platform.Updates);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        await EventuallyAsync(() => platform.Updates.Count == 1);
        await stream.UpdateAsync("Payouts", default);
        _time.Advance(Interval);
        await Task.Delay(50);
        Assert.Single(platform.Updates); // its own pace, not the default second
        _time.Advance(own - Interval);
        await EventuallyAsync(() => platform.Updates.Count == 2);

        Assert.Equal([began + own, began + own + own], platform.Updates.Select(u => u.At));
        Assert.Equal(own, stream.Interval);
    }

    [Fact]
    public async Task Without_any_update_the_final_reply_goes_at_once()
    {
        await _stream.CompleteAsync(Final, default);

        Assert.Equal(Final, _platform.Completed?.Reply);
        Assert.Empty(_platform.Updates);
    }

    [Fact]
    public async Task A_throttled_update_pushes_the_next_one_back_by_retry_after()
    {
        _platform.Next = _ => throw new ReplyThrottledException(TimeSpan.FromSeconds(3), null);
        await _stream.UpdateAsync("Pay", default);
        await EventuallyAsync(() => _platform.Attempts == 1);
        await _stream.UpdateAsync("Payouts", default);

        _time.Advance(TimeSpan.FromMilliseconds(2_999));
        await Task.Delay(50);
        Assert.Empty(_platform.Updates);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        await EventuallyAsync(() => _platform.Updates.Count == 1);

        Assert.Equal("Payouts", _platform.Updates.Single().Text);
        Assert.Equal(1, _stream.Shown);
    }

    [Fact]
    public async Task A_failed_update_is_skipped_and_the_stream_goes_on()
    {
        _platform.Next = _ => throw new HttpRequestException("connection reset");
        await _stream.UpdateAsync("Pay", default);
        await EventuallyAsync(() => _platform.Attempts == 1);
        await _stream.UpdateAsync("Payouts", default);
        _time.Advance(Interval);
        await EventuallyAsync(() => _platform.Updates.Count == 1);

        _time.Advance(Interval);
        await _stream.CompleteAsync(Final, default);

        Assert.Equal("Payouts", _platform.Updates.Single().Text);
        Assert.Equal(Final, _platform.Completed?.Reply);
    }

    [Fact]
    public async Task The_final_reply_never_overtakes_an_update_in_flight()
    {
        var release = new TaskCompletionSource();
        _platform.Next = _ => release.Task;
        await _stream.UpdateAsync("Pay", default);
        await EventuallyAsync(() => _platform.Attempts == 1);

        var completing = _stream.CompleteAsync(Final, default);
        _time.Advance(Interval);
        await Task.Delay(50);
        Assert.Null(_platform.Completed);

        // Answered now: the final reply takes the slot after it.
        release.SetResult();
        await AdvanceUntilAsync(completing);
        Assert.Equal(Final, _platform.Completed?.Reply);
    }

    [Fact]
    public async Task A_hung_update_is_cancelled_after_the_grace_period_and_the_final_reply_goes_out()
    {
        var cancelled = new TaskCompletionSource();
        _platform.Next = async _ =>
        {
            try
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, _platform.Token);
            }
            catch (OperationCanceledException)
            {
                cancelled.SetResult();
                throw;
            }
        };
        await _stream.UpdateAsync("Pay", default);
        await EventuallyAsync(() => _platform.Attempts == 1);

        var completing = _stream.CompleteAsync(Final, default);
        _time.Advance(PacedStreamingReply.UpdateGrace - TimeSpan.FromMilliseconds(1));
        await Task.Delay(50);
        Assert.False(completing.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        await AdvanceUntilAsync(completing);

        Assert.True(cancelled.Task.IsCompleted);
        Assert.Equal(Final, _platform.Completed?.Reply);
    }

    [Fact]
    public async Task A_long_retry_after_does_not_hold_back_the_final_reply_beyond_it()
    {
        _platform.Next = _ => throw new ReplyThrottledException(TimeSpan.FromSeconds(8), null);
        await _stream.UpdateAsync("Pay", default);
        await EventuallyAsync(() => _platform.Attempts == 1);
        await _stream.UpdateAsync("Payouts", default);

        var throttledAt = _time.GetUtcNow();
        var completing = _stream.CompleteAsync(Final, default);
        _time.Advance(TimeSpan.FromSeconds(7));
        await Task.Delay(50);
        Assert.False(completing.IsCompleted);
        await AdvanceUntilAsync(completing);

        Assert.Empty(_platform.Updates);
        Assert.Equal(Final, _platform.Completed?.Reply);
        Assert.InRange(_platform.Completed!.Value.At - throttledAt, TimeSpan.FromSeconds(8), TimeSpan.FromSeconds(8.5));
    }

    /// <summary>Lets fake time run in small steps until <paramref name="task"/> is done (bounded).</summary>
    private async Task AdvanceUntilAsync(Task task)
    {
        for (var i = 0; i < 100 && !task.IsCompleted; i++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(100));
            await Task.Delay(10);
        }

        await task.WaitAsync(TimeSpan.FromSeconds(5));
    }

    private static async Task EventuallyAsync(Func<bool> condition)
    {
        for (var i = 0; i < 400 && !condition(); i++)
        {
            await Task.Delay(5);
        }

        Assert.True(condition());

        // Let the background sender finish what it does right after the call (note its next slot).
        await Task.Delay(20);
    }

    private sealed class Recording(TimeProvider time) : IStreamingReply
    {
        private int _attempts;

        public ConcurrentQueue<(string Text, DateTimeOffset At)> Updates { get; } = new();

        public (Reply Reply, DateTimeOffset At)? Completed { get; private set; }

        public int Attempts => Volatile.Read(ref _attempts);

        public TimeSpan? Interval { get; init; }

        /// <summary>What the next update does instead of succeeding at once.</summary>
        public Func<string, Task>? Next { get; set; }

        /// <summary>The token of the latest update.</summary>
        public CancellationToken Token { get; private set; }

        public async Task UpdateAsync(string partialText, CancellationToken cancellationToken)
        {
            Token = cancellationToken;
            var next = Next;
            Next = null;
            Interlocked.Increment(ref _attempts);
            if (next is not null)
            {
                await next(partialText);
                return;
            }

            Updates.Enqueue((partialText, time.GetUtcNow()));
        }

        public Task CompleteAsync(Reply reply, CancellationToken cancellationToken)
        {
            Completed = (reply, time.GetUtcNow());
            return Task.CompletedTask;
        }
    }
}
