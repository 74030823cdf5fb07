using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using SupportBot.Core;
using SupportBot.Core.Conversations;
using SupportBot.Core.Queue;

namespace SupportBot.Redis;

/// <summary>
/// The inbound queue as a Redis Stream read by a consumer group, shared by every replica: each entry
/// goes to one worker, which renews its lease while it works; entries whose lease lapsed for
/// <see cref="QueueOptions.LeaseTimeout"/> (a dead worker) are taken over (<c>XAUTOCLAIM</c>), and a replica
/// shutting down hands its entries back for the others to take at once. A multiplexed connection cannot block on <c>XREADGROUP</c>, so
/// producers publish a wake-up signal and idle workers also poll once a second.
/// </summary>
/// <remarks>
/// The stream is never trimmed: an entry leaves only when its message was handled (<c>XACK</c> + <c>XDEL</c>), so
/// its length is the backlog. Adding claims the delivery and checks that length against
/// <see cref="QueueOptions.MaxBacklog"/> in the same script as the <c>XADD</c> (<see cref="InboxGroupCommit"/>, one slot,
/// so atomic on Redis Cluster too); a full queue refuses the delivery instead of dropping one it acknowledged.
/// </remarks>
internal sealed partial class RedisInboundQueue : IInboundQueue, IDisposable
{
    private const string Group = "workers";
    private const string Field = "m";
    private const int BatchSize = 16;
    private static readonly TimeSpan IdlePoll = TimeSpan.FromSeconds(1);

    // XCLAIM with min-idle 0 takes an entry from whoever holds it: renew only what this consumer still holds
    // (another replica may have taken an entry over after a long pause).
    private static readonly LuaScript RenewOwn = LuaScript.Prepare(
        "local n = 0 " +
        "for id in string.gmatch(@ids, '[^,]+') do " +
        "  local p = redis.call('XPENDING', @stream, @group, id, id, 1) " +
        "  if p[1] and p[1][2] == @consumer then redis.call('XCLAIM', @stream, @group, @consumer, 0, id, 'JUSTID') n = n + 1 end " +
        "end return n");

    // Moves what this consumer holds to a placeholder consumer, idle for longer than any lease, so the next
    // XAUTOCLAIM of any replica takes it at once; then drops this consumer (with nothing pending, nothing is lost).
    private static readonly LuaScript HandBack = LuaScript.Prepare(
        "local p = redis.call('XPENDING', @stream, @group, '-', '+', 100000, @consumer) " +
        "for _, e in ipairs(p) do redis.call('XCLAIM', @stream, @group, @placeholder, 0, e[1], 'IDLE', @idle, 'JUSTID') end " +
        "redis.call('XGROUP', 'DELCONSUMER', @stream, @group, @consumer) " +
        "return #p");

    // Forgets consumers that hold nothing and have not been handed an entry for longer than @idle ms (replicas that
    // died or were replaced: each process is a consumer of its own), other than this one. One that holds entries is
    // kept: they are taken over first, and deleting it would drop them from the pending list. A live replica that was
    // merely quiet loses nothing: it holds nothing, and Redis creates its consumer again when it is next handed one.
    private static readonly LuaScript ForgetIdle = LuaScript.Prepare(
        "local n = 0 " +
        "for _, c in ipairs(redis.call('XINFO', 'CONSUMERS', @stream, @group)) do " +
        "  local f = {} for i = 1, #c, 2 do f[c[i]] = c[i + 1] end " +
        "  if f['name'] ~= @consumer and tonumber(f['pending']) == 0 and tonumber(f['idle']) > tonumber(@idle) then " +
        "    redis.call('XGROUP', 'DELCONSUMER', @stream, @group, f['name']) n = n + 1 end " +
        "end return n");

    /// <summary>How long a consumer that holds nothing may go without reading before it is forgotten.</summary>
    private static readonly TimeSpan ForgetAfter = TimeSpan.FromMinutes(10);

    private const string HandedBack = "handed-back";
    private const int WorkSignal = 1;
    private const int ReclaimSignal = 2;

    private readonly IConnectionMultiplexer _redis;
    private readonly RedisKeys _keys;
    private readonly QueueOptions _options;
    private readonly ILogger<RedisInboundQueue> _logger;
    private readonly InboxGroupCommit _adds;
    private readonly TimeProvider _time;
    private readonly Channel<bool> _signal = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly string _consumer = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid():N}";
    private volatile bool _reclaimNow;
    private volatile bool _closed;

    public RedisInboundQueue(IConnectionMultiplexer redis, RedisKeys keys, IOptions<QueueOptions> options, TimeProvider time, ILogger<RedisInboundQueue> logger)
    {
        _time = time;
        ArgumentNullException.ThrowIfNull(options);
        _redis = redis;
        _keys = keys;
        _options = options.Value;
        _logger = logger;
        _adds = new InboxGroupCommit(redis, keys.Inbox, Field, keys.InboxSignal, _options.MaxBacklog);
    }

    public ValueTask<bool> EnqueueOnceAsync(InboundMessage message, string deliveryKey, TimeSpan window, CancellationToken cancellationToken) =>
        _adds.AddAsync(_keys.InboxSeen(deliveryKey), window, JsonSerializer.Serialize(message, RedisJson.Default.InboundMessage));

    public async ValueTask<long> BacklogAsync(CancellationToken cancellationToken) =>
        await _redis.GetDatabase().StreamLengthAsync(_keys.Inbox).WaitAsync(cancellationToken);

    public async IAsyncEnumerable<QueuedMessage> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await _redis.GetSubscriber().SubscribeAsync(_keys.InboxSignal, (_, value) =>
        {
            _reclaimNow |= value == ReclaimSignal;
            _signal.Writer.TryWrite(true);
        });
        var nextReclaim = _time.GetUtcNow();
        var nextForget = _time.GetUtcNow() + ForgetAfter;
        while (!cancellationToken.IsCancellationRequested && !_closed)
        {
            var reclaim = _reclaimNow || nextReclaim <= _time.GetUtcNow();
            _reclaimNow = false;
            var batch = await TryReadAsync(reclaim);
            if (batch.Reclaimed)
            {
                nextReclaim = _time.GetUtcNow() + _options.ReclaimInterval;
            }

            if (nextForget <= _time.GetUtcNow())
            {
                nextForget = _time.GetUtcNow() + ForgetAfter;
                await TryForgetIdleConsumersAsync(ForgetAfter);
            }

            foreach (var item in batch.Items)
            {
                if (_closed)
                {
                    yield break; // read but not started: handed back with the rest (HandBackAsync)
                }

                yield return item;
            }

            if (batch.Items.Count == 0)
            {
                await WaitForWorkAsync(cancellationToken);
            }
        }
    }

    public void Close()
    {
        _closed = true;
        _signal.Writer.TryWrite(true); // wake an idle reader
    }

    public ValueTask CompleteAsync(QueuedMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        return new ValueTask(RemoveAsync(message.DeliveryId).WaitAsync(cancellationToken));
    }

    public async ValueTask RenewAsync(IReadOnlyCollection<QueuedMessage> held, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(held);
        if (held.Count == 0)
        {
            return;
        }

        var ids = string.Join(',', held.Select(m => m.DeliveryId));
        await _redis.GetDatabase().ScriptEvaluateAsync(RenewOwn, new { stream = _keys.Inbox, group = Group, consumer = _consumer, ids }).WaitAsync(cancellationToken);
    }

    public async ValueTask HandBackAsync(CancellationToken cancellationToken)
    {
        var idle = (long)(_options.LeaseTimeout * 10).TotalMilliseconds;
        var handedBack = (long)await _redis.GetDatabase().ScriptEvaluateAsync(
            HandBack, new { stream = _keys.Inbox, group = Group, consumer = _consumer, placeholder = HandedBack, idle }).WaitAsync(cancellationToken);
        if (handedBack > 0)
        {
            await _redis.GetSubscriber().PublishAsync(_keys.InboxSignal, ReclaimSignal).WaitAsync(cancellationToken);
            LogHandedBack(_logger, handedBack);
        }
    }

    /// <summary>Forgets the group's consumers that hold nothing and have not read for <paramref name="idle"/>; how many.</summary>
    internal async Task<long> TryForgetIdleConsumersAsync(TimeSpan idle)
    {
        try
        {
            var forgotten = (long)await _redis.GetDatabase().ScriptEvaluateAsync(
                ForgetIdle, new { stream = _keys.Inbox, group = Group, consumer = _consumer, idle = (long)idle.TotalMilliseconds });
            if (forgotten > 0)
            {
                LogForgotten(_logger, forgotten);
            }

            return forgotten;
        }
        catch (RedisException ex)
        {
            // Next time: nothing depends on it but the tidiness of XINFO CONSUMERS.
            LogUnavailable(_logger, ex);
            return 0;
        }
    }

    private Task<bool> RemoveAsync(RedisValue entryId)
    {
        var transaction = _redis.GetDatabase().CreateTransaction();
        _ = transaction.StreamAcknowledgeAsync(_keys.Inbox, Group, entryId);
        _ = transaction.StreamDeleteAsync(_keys.Inbox, [entryId]);
        return transaction.ExecuteAsync();
    }

    private async Task<(List<QueuedMessage> Items, bool Reclaimed)> TryReadAsync(bool reclaim)
    {
        try
        {
            var db = _redis.GetDatabase();
            var items = new List<QueuedMessage>();
            if (reclaim)
            {
                var claimed = await db.StreamAutoClaimAsync(_keys.Inbox, Group, _consumer, (long)_options.LeaseTimeout.TotalMilliseconds, "0-0", BatchSize);
                items.AddRange(Parse(claimed.ClaimedEntries, reclaimed: true));
                _reclaimNow |= claimed.ClaimedEntries.Length == BatchSize; // more may be waiting: look again at once
            }

            var entries = await db.StreamReadGroupAsync(_keys.Inbox, Group, _consumer, StreamPosition.NewMessages, BatchSize);
            items.AddRange(Parse(entries, reclaimed: false));
            return (items, reclaim);
        }
        catch (RedisServerException ex) when (ex.Message.StartsWith("NOGROUP", StringComparison.Ordinal))
        {
            await EnsureGroupAsync();
            return ([], false);
        }
        catch (Exception ex) when (ex is RedisConnectionException or RedisTimeoutException)
        {
            LogUnavailable(_logger, ex);
            return ([], false);
        }
    }

    private async Task EnsureGroupAsync()
    {
        try
        {
            // "0" rather than "$": entries added before the group existed are still answered.
            await _redis.GetDatabase().StreamCreateConsumerGroupAsync(_keys.Inbox, Group, "0", createStream: true);
        }
        catch (RedisServerException ex) when (ex.Message.StartsWith("BUSYGROUP", StringComparison.Ordinal))
        {
            // Another replica created it first.
        }
        catch (Exception ex) when (ex is RedisConnectionException or RedisTimeoutException)
        {
            // Redis went away between the NOGROUP answer and this call: the next read tries again, the worker lives on.
            LogUnavailable(_logger, ex);
        }
    }

    private IEnumerable<QueuedMessage> Parse(StreamEntry[] entries, bool reclaimed)
    {
        foreach (var entry in entries)
        {
            var json = entry[Field];
            var message = json.IsNullOrEmpty ? null : JsonSerializer.Deserialize((string)json!, RedisJson.Default.InboundMessage);
            if (message is null)
            {
                // Unreadable (or trimmed away before it was claimed): nothing to answer, drop it.
                LogUnreadable(_logger, entry.Id.ToString());
                _ = RemoveAsync(entry.Id);
                continue;
            }

            yield return new QueuedMessage(message, entry.Id!, reclaimed);
        }
    }

    private async Task WaitForWorkAsync(CancellationToken cancellationToken)
    {
        using var timeout = new Deadline(IdlePoll, _time, cancellationToken);
        try
        {
            await _signal.Reader.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Poll again.
        }
    }

    public void Dispose()
    {
        _adds.Dispose();
        _redis.GetSubscriber().Unsubscribe(_keys.InboxSignal);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis is unreachable; the inbound queue retries")]
    private static partial void LogUnavailable(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Shutting down: handed {Count} unfinished messages back to the queue for another replica")]
    private static partial void LogHandedBack(ILogger logger, long count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Forgot {Count} queue consumers that held nothing and had not read for ten minutes (replicas gone)")]
    private static partial void LogForgotten(ILogger logger, long count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dropped unreadable queue entry {EntryId}")]
    private static partial void LogUnreadable(ILogger logger, string entryId);
}
