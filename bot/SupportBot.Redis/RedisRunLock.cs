using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;
using SupportBot.Core.State;

namespace SupportBot.Redis;

/// <summary>
/// A lock shared by every replica: <c>SET key token NX PX ttl</c>, renewed every third of the TTL while held, and
/// released (or renewed) only by the holder's random token, checked in a Lua script so an expired lock another
/// replica has taken since is never deleted or extended by mistake. A replica that dies stops renewing and the lock
/// lapses after <see cref="Ttl"/>.
/// </summary>
internal sealed partial class RedisRunLock(IConnectionMultiplexer redis, RedisKeys keys, TimeProvider time, ILogger<RedisRunLock> logger) : IRunLock
{
    /// <summary>How long a lock outlives its holder's last renewal.</summary>
    public static readonly TimeSpan Ttl = TimeSpan.FromSeconds(60);

    private static readonly LuaScript Release = LuaScript.Prepare(
        "if redis.call('GET', @key) == @token then return redis.call('DEL', @key) end return 0");

    private static readonly LuaScript Renew = LuaScript.Prepare(
        "if redis.call('GET', @key) == @token then return redis.call('PEXPIRE', @key, @ttl) end return 0");

    private IDatabase Database => redis.GetDatabase();

    private TimeProvider Time => time;

    private ILogger Logger => logger;

    public async Task<IRunLease?> TryAcquireAsync(string name, CancellationToken cancellationToken)
    {
        var key = keys.RunLock(name);
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var acquired = await redis.GetDatabase().StringSetAsync(key, token, Ttl, When.NotExists).WaitAsync(cancellationToken);
        return acquired ? new Lease(this, key, token) : null;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The lock {Key} was lost before it was released; the run stops")]
    private static partial void LogLost(ILogger logger, string key);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Renewing the lock {Key} failed ({Error}); trying again")]
    private static partial void LogRenewFailed(ILogger logger, string key, string error);

    private sealed class Lease : IRunLease
    {
        private readonly RedisRunLock _owner;
        private readonly RedisKey _key;
        private readonly string _token;
        private readonly CancellationTokenSource _lost = new();
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _renewing;

        public Lease(RedisRunLock owner, RedisKey key, string token)
        {
            _owner = owner;
            _key = key;
            _token = token;
            _renewing = RenewAsync();
        }

        public CancellationToken Lost => _lost.Token;

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _renewing;
            try
            {
                await _owner.Database.ScriptEvaluateAsync(Release, new { key = _key, token = _token });
            }
            catch (RedisException)
            {
                // It lapses on its own after the TTL.
            }

            _stop.Dispose();
            _lost.Dispose();
        }

        private async Task RenewAsync()
        {
            using var timer = new PeriodicTimer(Ttl / 3, _owner.Time);
            try
            {
                while (await timer.WaitForNextTickAsync(_stop.Token))
                {
                    try
                    {
                        var renewed = await _owner.Database.ScriptEvaluateAsync(Renew, new { key = _key, token = _token, ttl = (long)Ttl.TotalMilliseconds });
                        if ((long)renewed != 1)
                        {
                            LogLost(_owner.Logger, _key.ToString());
                            await _lost.CancelAsync();
                            return;
                        }
                    }
                    catch (RedisException ex)
                    {
                        LogRenewFailed(_owner.Logger, _key.ToString(), ex.GetType().Name);
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }
        }
    }
}
