using System.Threading.Channels;
using StackExchange.Redis;
using SupportBot.Core.Queue;

namespace SupportBot.Redis;

/// <summary>
/// Acknowledged deliveries go into the inbox stream in groups: while one script call is on its way to Redis, the
/// deliveries that arrive wait for the next one, which takes them all (up to <see cref="MaxGroup"/>). A lone
/// delivery goes at once; under load one round trip, one script run and one wake-up serve many deliveries, which
/// is most of what an acknowledgement costs (Redis's CPU and the host's). Each delivery keeps its own outcome.
/// </summary>
/// <remarks>
/// For each delivery the script claims its seen-key (<c>SET NX PX</c>: a platform retry or another replica's copy
/// is refused), checks the stream's length against the bound (a refused delivery claims nothing) and adds it; one
/// <c>PUBLISH</c> wakes idle workers when anything was added. Every key shares the stream's hash tag: one slot on
/// Redis Cluster.
/// </remarks>
internal sealed class InboxGroupCommit : IDisposable
{
    /// <summary>The most deliveries one script call takes: bounds the script's run (Redis runs one script at a time).</summary>
    public const int MaxGroup = 128;

    private const long Duplicate = 0;
    private const long Added = 1;

    // KEYS[1] the stream, KEYS[2..] the deliveries' seen-keys; ARGV[1] the bound, ARGV[2] the field, ARGV[3] the
    // signal channel, then per delivery its window (ms) and its message.
    private const string AddGroup =
        "local len = redis.call('XLEN', KEYS[1]) local bound = tonumber(ARGV[1]) local out = {} local added = 0 " +
        "for i = 2, #KEYS do " +
        "  local window, message = ARGV[2 * i], ARGV[2 * i + 1] " +
        "  if not redis.call('SET', KEYS[i], 1, 'NX', 'PX', window) then out[i - 1] = 0 " +
        "  elseif len >= bound then redis.call('DEL', KEYS[i]) out[i - 1] = -1 " +
        "  else redis.call('XADD', KEYS[1], '*', ARGV[2], message) len = len + 1 added = added + 1 out[i - 1] = 1 end " +
        "end " +
        "if added > 0 then redis.call('PUBLISH', ARGV[3], 1) end " +
        "return out";

    private readonly IConnectionMultiplexer _redis;
    private readonly RedisKey _stream;
    private readonly RedisValue _field;
    private readonly RedisValue _signal;
    private readonly int _bound;
    private readonly Channel<Pending> _pending = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });

    public InboxGroupCommit(IConnectionMultiplexer redis, RedisKey stream, RedisValue field, RedisChannel signal, int bound)
    {
        _redis = redis;
        _stream = stream;
        _field = field;
        _signal = signal.ToString();
        _bound = bound;
        _ = Task.Run(CommitAsync);
    }

    /// <summary>True when added, false when the seen-key was claimed before; throws when the stream is full.</summary>
    public async ValueTask<bool> AddAsync(RedisKey seen, TimeSpan window, string message)
    {
        var pending = new Pending(seen, (long)window.TotalMilliseconds, message);
        if (!_pending.Writer.TryWrite(pending))
        {
            throw new InboundQueueClosedException();
        }

        // Not cancellable: a delivery on its way cannot be withdrawn, and the wait is bounded by Redis's own timeouts.
        return await pending.Task switch
        {
            Added => true,
            Duplicate => false,
            _ => throw new InboundBacklogFullException(),
        };
    }

    /// <summary>Takes no more deliveries; those already taken are still committed.</summary>
    public void Dispose() => _pending.Writer.TryComplete();

    private async Task CommitAsync()
    {
        var group = new List<Pending>(MaxGroup);
        while (await _pending.Reader.WaitToReadAsync())
        {
            while (group.Count < MaxGroup && _pending.Reader.TryRead(out var pending))
            {
                group.Add(pending);
            }

            await CommitAsync(group);
            group.Clear();
        }
    }

    private async Task CommitAsync(List<Pending> group)
    {
        var keys = new RedisKey[group.Count + 1];
        var values = new RedisValue[3 + (2 * group.Count)];
        keys[0] = _stream;
        values[0] = _bound;
        values[1] = _field;
        values[2] = _signal;
        for (var i = 0; i < group.Count; i++)
        {
            keys[i + 1] = group[i].Seen;
            values[3 + (2 * i)] = group[i].WindowMilliseconds;
            values[4 + (2 * i)] = group[i].Message;
        }

        try
        {
            var outcomes = (long[])(await _redis.GetDatabase().ScriptEvaluateAsync(AddGroup, keys, values))!;
            for (var i = 0; i < group.Count; i++)
            {
                group[i].TrySetResult(outcomes[i]);
            }
        }
        catch (Exception ex)
        {
            foreach (var pending in group)
            {
                pending.TrySetException(ex);
            }
        }
    }

    /// <summary>A delivery waiting for its group's script call; completes with the script's outcome for it.</summary>
    private sealed class Pending(RedisKey seen, long windowMilliseconds, string message) : TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        public RedisKey Seen { get; } = seen;

        public long WindowMilliseconds { get; } = windowMilliseconds;

        public string Message { get; } = message;
    }
}
