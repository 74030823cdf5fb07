using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SupportBot.Core.Conversations;
using SupportBot.Core.State;
using SupportBot.Core.Telemetry;
using SupportBot.Core.Surfaces;

namespace SupportBot.Core.Queue;

/// <summary>
/// Takes messages off the queue and runs them through the pipeline, <see cref="QueueOptions.Concurrency"/>
/// at a time. A message is answered once: a claim shared by all replicas guards it while it is
/// handled (renewed with the queue lease every <see cref="QueueOptions.ReclaimInterval"/>) and remembers it
/// afterwards, so a redelivered entry is only acknowledged.
/// </summary>
/// <remarks>
/// Shutting down (<see cref="StoppingAsync"/>, before the web server stops), the worker closes the queue and takes no
/// more messages, lets what it holds finish until the host's shutdown timeout, then cancels the rest, releases their
/// claims and hands them back to the queue for another replica.
/// </remarks>
internal sealed partial class InboundWorker(
    IInboundQueue queue,
    ConversationPipeline pipeline,
    ChatSurfaces surfaces,
    IDeduplicator deduplicator,
    IReplyOutbox outbox,
    ReplicaLifecycle lifecycle,
    IOptions<QueueOptions> options,
    TimeProvider time,
    ILogger<InboundWorker> logger) : BackgroundService, IHostedLifecycleService
{
    private static readonly TimeSpan HandBackBudget = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<string, QueuedMessage> _held = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Task, byte> _running = new();
    private readonly CancellationTokenSource _abort = new();

    /// <summary>Messages this worker is handling now.</summary>
    internal int Held => _held.Count;

    /// <summary>
    /// Drains before any hosted service stops, so the web server still answers (readiness false, deliveries queued
    /// for other replicas) while the work in hand finishes. The host's shutdown timeout (<paramref name="cancellationToken"/>)
    /// bounds it; past that, the work is cancelled and handed back, which takes a round trip.
    /// </summary>
    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        await using var deadline = BeginDraining(cancellationToken);
        if (ExecuteTask is { } running)
        {
            await running;
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // Drained already when the host called StoppingAsync; otherwise the same rules, from here.
        await using var deadline = BeginDraining(cancellationToken);
        await base.StopAsync(CancellationToken.None);
    }

    /// <summary>Readiness false, the queue closed; the held work is cancelled when <paramref name="deadline"/> passes.</summary>
    private CancellationTokenRegistration BeginDraining(CancellationToken deadline)
    {
        lifecycle.BeginDraining();
        queue.Close();
        return deadline.Register(_abort.Cancel);
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override void Dispose()
    {
        _abort.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var slots = new SemaphoreSlim(options.Value.Concurrency);
        using var stopRenewing = new CancellationTokenSource();
        using var reading = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, _abort.Token);
        var renewing = RenewWhileHoldingAsync(stopRenewing.Token);
        try
        {
            // Ends when the queue is closed (shutdown) and what it handed out has been read.
            await foreach (var item in queue.ReadAllAsync(reading.Token).WithCancellation(reading.Token))
            {
                await slots.WaitAsync(reading.Token);
                _held[item.DeliveryId] = item;
                var task = RunAsync(item, slots);
                _running[task] = 0;
                _ = task.ContinueWith(t => _running.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
        }
        catch (OperationCanceledException) when (reading.IsCancellationRequested)
        {
            // Past the shutdown deadline: take no more work.
        }

        await Task.WhenAll(_running.Keys);
        await stopRenewing.CancelAsync();
        await renewing;
        await HandBackAsync();
    }

    private async Task RunAsync(QueuedMessage item, SemaphoreSlim slots)
    {
        try
        {
            await Task.Yield(); // the reader goes on to the next message
            await HandleAsync(item, _abort.Token);
        }
        finally
        {
            _held.TryRemove(item.DeliveryId, out _);
            slots.Release();
        }
    }

    internal async ValueTask HandleAsync(QueuedMessage item, CancellationToken cancellationToken)
    {
        var message = item.Message;
        var key = ProcessingKey(message);
        var claimed = false;
        try
        {
            claimed = await deduplicator.TryClaimAsync(key, options.Value.ClaimLease, cancellationToken);
            if (!claimed)
            {
                // Done already: only take it off the queue. Still in hand elsewhere (a live worker whose renewal
                // came late): leave it leased; it comes round again if that worker dies.
                if (await deduplicator.IsDoneAsync(key, cancellationToken))
                {
                    await queue.CompleteAsync(item, cancellationToken);
                }

                return;
            }

            if (item.Reclaimed)
            {
                LogReclaimed(logger, item.DeliveryId);
            }

            var waited = time.GetUtcNow() - message.ReceivedAt;
            SupportBotTelemetry.QueueWait.Record(
                waited.TotalSeconds, SupportBotTelemetry.Tag("surface", message.Conversation.Surface), SupportBotTelemetry.Tag("reclaimed", item.Reclaimed));
            using (var activity = SupportBotTelemetry.Source.StartActivity("supportbot.handle"))
            {
                activity?.SetTag("supportbot.surface", message.Conversation.Surface);
                activity?.SetTag("supportbot.reclaimed", item.Reclaimed);
                activity?.SetTag("supportbot.queue.wait_ms", (long)waited.TotalMilliseconds);
                try
                {
                    await pipeline.HandleAsync(message, cancellationToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, ex.GetType().Name);
                    LogFailed(logger, ex, message.Conversation.Surface, item.DeliveryId);
                    await TryApologiseAsync(message, cancellationToken);
                }
            }

            SupportBotTelemetry.HandleDuration.Record((time.GetUtcNow() - message.ReceivedAt).TotalSeconds, SupportBotTelemetry.Tag("surface", message.Conversation.Surface));

            // Answered: remember it and take it off the queue even if shutdown's deadline has just passed.
            await deduplicator.HoldAsync(key, options.Value.DedupeWindow, CancellationToken.None);
            await queue.CompleteAsync(item, CancellationToken.None);
            await outbox.ForgetAsync(IReplyOutbox.KeyOf(message), CancellationToken.None); // the done claim answers from now on
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Cancelled at shutdown: free the claim so the replica that takes the message over may answer it.
            if (claimed)
            {
                await TryReleaseAsync(key);
            }
        }
        catch (Exception ex)
        {
            // The state store is unreachable: leave the entry leased; it is redelivered later.
            LogStateUnavailable(logger, ex, item.DeliveryId);
        }
    }

    internal static string ProcessingKey(InboundMessage message) => $"processing:{message.Conversation.Surface}:{message.Id}";

    /// <summary>Renews the queue lease and the processing claim of everything held, every quarter of the lease.</summary>
    private async Task RenewWhileHoldingAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(options.Value.ReclaimInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                var held = _held.Values.ToList();
                if (held.Count == 0)
                {
                    continue;
                }

                try
                {
                    await queue.RenewAsync(held, cancellationToken);
                    await Task.WhenAll(held.Select(m => deduplicator.RenewAsync(ProcessingKey(m.Message), options.Value.ClaimLease, cancellationToken)));
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogRenewFailed(logger, ex, held.Count);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped.
        }
    }

    private async Task HandBackAsync()
    {
        using var budget = new CancellationTokenSource(HandBackBudget, time);
        try
        {
            await queue.HandBackAsync(budget.Token);
        }
        catch (Exception ex)
        {
            // Not handed back: another replica still takes the messages over once their lease lapses.
            LogHandBackFailed(logger, ex);
        }
    }

    private async Task TryReleaseAsync(string key)
    {
        using var budget = new CancellationTokenSource(HandBackBudget, time);
        try
        {
            await deduplicator.ReleaseAsync(key, budget.Token);
        }
        catch (Exception ex)
        {
            LogHandBackFailed(logger, ex);
        }
    }

    private async Task TryApologiseAsync(InboundMessage message, CancellationToken cancellationToken)
    {
        if (message.Kind != InboundKind.Message)
        {
            return;
        }

        try
        {
            await surfaces.For(message.Conversation).SendAsync(
                message,
                Reply.Notice("Sorry — I ran into a problem answering this. Please try again in a minute."),
                cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogFailed(logger, ex, message.Conversation.Surface, message.Id);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Handling a message from {Surface} failed (delivery {DeliveryId})")]
    private static partial void LogFailed(ILogger logger, Exception exception, string surface, string deliveryId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Took over delivery {DeliveryId} from a worker that stopped")]
    private static partial void LogReclaimed(ILogger logger, string deliveryId);

    [LoggerMessage(Level = LogLevel.Error, Message = "State store unavailable; delivery {DeliveryId} stays queued")]
    private static partial void LogStateUnavailable(ILogger logger, Exception exception, string deliveryId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not renew the lease of {Count} messages in hand; they may be taken over by another replica")]
    private static partial void LogRenewFailed(ILogger logger, Exception exception, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Shutting down: could not hand unfinished work back; another replica takes it over when its lease lapses")]
    private static partial void LogHandBackFailed(ILogger logger, Exception exception);
}
