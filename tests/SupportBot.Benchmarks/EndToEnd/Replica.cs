using System.Diagnostics;
using System.Globalization;

namespace SupportBot.Benchmarks.EndToEnd;

/// <summary>One bot process (<c>supportbot serve</c>) as a deployment runs it, on its own loopback port.</summary>
internal sealed class Replica : IDisposable
{
    private readonly Process _process;
    private long _logLines;

    private Replica(int number, Process process, Uri baseAddress)
    {
        Number = number;
        _process = process;
        BaseAddress = baseAddress;
    }

    public int Number { get; }

    /// <summary>The first lines logged under load, to show what an answer logs.</summary>
    public System.Collections.Concurrent.ConcurrentBag<string> FirstLines { get; } = [];

    public Uri BaseAddress { get; }

    public bool Killed { get; private set; }

    /// <summary>Lines the process wrote to its console (the default log level) since it became ready.</summary>
    public long LogLines => Interlocked.Read(ref _logLines);

    public static Replica Start(string bot, int number, Uri slackApi, string? redis, string prefix, string indexPath, string[] extra)
    {
        var port = EndToEndLoad.FreePort();
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in (string[])[bot, "serve", "--urls", $"http://127.0.0.1:{port}",
            "--Slack:SigningSecret=bench-signing-secret-0123456789", "--Slack:BotToken=xoxb-bench", $"--Slack:ApiBaseUrl={slackApi}",
            $"--Knowledge:IndexPath={indexPath}",
            // All the load comes from one workspace: lift its rate limit (6,000 a minute by default).
            "--Slack:WorkspaceRequestsPerMinute=10000000"])
        {
            info.ArgumentList.Add(arg);
        }

        if (redis is not null)
        {
            info.ArgumentList.Add($"--Redis:Configuration={redis}");
            info.ArgumentList.Add($"--Redis:KeyPrefix={prefix}");
        }

        foreach (var arg in extra)
        {
            info.ArgumentList.Add(arg);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start the bot");
        var replica = new Replica(number, process, new Uri($"http://127.0.0.1:{port}"));
        process.OutputDataReceived += (_, e) => replica.Count(e.Data);
        process.ErrorDataReceived += (_, e) => replica.Count(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return replica;
    }

    private bool _ready;

    private void Count(string? line)
    {
        if (line is not null && Environment.GetEnvironmentVariable("E2E_REPLICA_LOGS") is { Length: > 0 } folder)
        {
            lock (this)
            {
                File.AppendAllText(Path.Combine(folder, $"replica-{Number}.log"), line + "\n");
            }
        }

        if (line is not null && Volatile.Read(ref _ready) && (Interlocked.Increment(ref _logLines) <= 6 || (!line.Contains("Answered a question", StringComparison.Ordinal) && FirstLines.Count < 60)))
        {
            FirstLines.Add(line);
        }
    }

    public async Task WaitReadyAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var response = await http.GetAsync(new Uri(BaseAddress, "/readyz"));
                if (response.IsSuccessStatusCode)
                {
                    // Start-up lines (configuration, index) are not per answer: count from here.
                    await Task.Delay(500);
                    Volatile.Write(ref _ready, true);
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            if (_process.HasExited)
            {
                throw new InvalidOperationException($"replica {Number} exited with {_process.ExitCode}");
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"replica {Number} never became ready");
    }

    /// <summary>Resident memory (VmRSS) of the process, MiB.</summary>
    public double WorkingSetMiB()
    {
        if (Killed || _process.HasExited)
        {
            return 0;
        }

        foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
            }
        }

        return 0;
    }

    /// <summary>SIGKILL: the replica dies holding whatever it acknowledged.</summary>
    public void Kill()
    {
        Killed = true;
        _process.Kill(entireProcessTree: true);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }

        _process.Dispose();
    }
}
