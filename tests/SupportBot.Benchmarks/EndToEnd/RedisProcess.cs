using System.Diagnostics;
using System.Globalization;
using StackExchange.Redis;

namespace SupportBot.Benchmarks.EndToEnd;

/// <summary>A throw-away <c>redis-server</c> on a free loopback port, without persistence.</summary>
internal sealed class RedisProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConnectionMultiplexer _connection;

    private RedisProcess(Process process, ConnectionMultiplexer connection, string address)
    {
        _process = process;
        _connection = connection;
        Address = address;
    }

    public string Address { get; }

    public static RedisProcess Start()
    {
        var port = EndToEndLoad.FreePort();
        var info = new ProcessStartInfo("redis-server") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in (string[])["--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
        {
            info.ArgumentList.Add(arg);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("redis-server did not start (is it installed?)");
        process.BeginOutputReadLine();
        var address = $"127.0.0.1:{port}";
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return new RedisProcess(process, ConnectionMultiplexer.Connect(new ConfigurationOptions { EndPoints = { address }, AllowAdmin = true }), address);
            }
            catch (RedisConnectionException) when (attempt < 50)
            {
                Thread.Sleep(100);
            }
        }
    }

    /// <summary>The inbound queue's length and its pending entries by consumer, to see where unanswered work sits.</summary>
    public string QueueState(string prefix)
    {
        var db = _connection.GetDatabase();
        var stream = $"{prefix}:{{inbox}}:stream";
        var length = db.StreamLength(stream);
        var pending = db.StreamPending(stream, "workers");
        var consumers = string.Join(", ", pending.Consumers.Select(c => $"{(string?)c.Name}={c.PendingMessageCount}"));
        return string.Create(CultureInfo.InvariantCulture, $"stream length {length}, pending {pending.PendingMessageCount} ({consumers})");
    }

    /// <summary>Redis <c>used_memory</c>, MiB.</summary>
    public double UsedMemoryMiB()
    {
        var info = _connection.GetServer(Address).Info("memory").SelectMany(g => g).FirstOrDefault(p => p.Key == "used_memory");
        return double.Parse(info.Value ?? "0", CultureInfo.InvariantCulture) / (1024 * 1024);
    }

    public void Dispose()
    {
        _connection.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit(5000);
        }

        _process.Dispose();
    }
}
