using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace SupportBot.Benchmarks.EndToEnd;

/// <summary>
/// End to end under open-loop load: signed Slack events (new questions, and follow-ups in threads already answered)
/// sent at a fixed rate to one or more real bot processes sharing a real <c>redis-server</c>, which answer through
/// <see cref="SlackWebApiStandIn"/>. Reports acknowledgement and event → reply-posted latency, what was lost or
/// answered twice, log lines per answer, and (every <c>sample</c> seconds) each replica's working set and Redis memory.
/// </summary>
/// <remarks>
/// <c>e2e rate=100 seconds=60 replicas=1 latency=0 followups=0.3 sample=10 kill=0 state=redis [bot=PATH] [--Key=value…]</c>;
/// <c>kill=S</c> kills replica 0 (SIGKILL) S seconds in, to measure takeover; <c>bot=</c> runs another build of the host
/// (a ReadyToRun publish); <c>--Key=value</c> settings go to every replica. Needs <c>redis-server</c> on the PATH
/// and the host built: <c>dotnet build bot/SupportBot.Host -c Release</c>.
/// </remarks>
internal static class EndToEndLoad
{
    private const string SigningSecret = "bench-signing-secret-0123456789";
    private const string Channel = "C0BENCH01";

    private static readonly string[] Questions =
    [
        "How do I respond to a dispute?", "Why is a payout delayed?", "How do refunds reach the cardholder?",
        "What does card_velocity_exceeded mean?", "How do instant payouts work?", "How long does a chargeback take?",
        "Can a refund fail?", "How do I add a bank account for payouts?", "What is 3D Secure?", "Why was a payment declined?",
    ];

    public static async Task<int> RunAsync(string[] args)
    {
        var o = Settings.Parse(args);
        var repo = FindRepository();
        var bot = o.Bot ?? Path.Combine(repo, "bot", "SupportBot.Host", "bin", "Release", "net10.0", "supportbot.dll");
        if (!File.Exists(bot))
        {
            Console.Error.WriteLine($"Build the host first: dotnet build bot/SupportBot.Host -c Release (missing {Path.GetRelativePath(repo, bot)})");
            return 2;
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"e2e: {o.Rate} events/s for {o.Seconds} s, {o.Replicas} replica(s), Web API latency {o.Latency} ms, follow-ups {o.FollowUps:P0}, state {o.State}, {Environment.ProcessorCount} cores"));

        await using var slack = await SlackWebApiStandIn.StartAsync(TimeSpan.FromMilliseconds(o.Latency));
        using var redis = o.State == "redis" ? RedisProcess.Start() : null;
        var prefix = $"bench{Guid.NewGuid():N}"[..16];
        var index = Path.Combine(Path.GetTempPath(), "supportbot-bench-e2e-index");
        var replicas = new List<Replica>();
        try
        {
            // The first replica builds the knowledge index (once); the others open it.
            for (var i = 0; i < o.Replicas; i++)
            {
                replicas.Add(Replica.Start(bot, i, slack.ApiBase, redis?.Address, prefix, index, o.Extra));
                if (i == 0)
                {
                    await replicas[0].WaitReadyAsync();
                }
            }

            foreach (var replica in replicas.Skip(1))
            {
                await replica.WaitReadyAsync();
            }

            var run = await LoadAsync(o, replicas, slack, redis);
            run.Report(o, slack, replicas);
            if (redis is not null)
            {
                Console.WriteLine($"queue at the end: {redis.QueueState(prefix)}");
            }

            return 0;
        }
        finally
        {
            foreach (var replica in replicas)
            {
                replica.Dispose();
            }
        }
    }

    private static async Task<Run> LoadAsync(Settings o, List<Replica> replicas, SlackWebApiStandIn slack, RedisProcess? redis)
    {
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 512, PooledConnectionLifetime = TimeSpan.FromMinutes(30) }) { Timeout = TimeSpan.FromSeconds(30) };
        await WarmOwnPathsAsync(http, slack, replicas);
        var run = new Run { Start = Stopwatch.GetTimestamp() };
        var random = new Random(7);
        var answeredThreads = new List<(string Ts, long At)>();
        var total = o.Rate * o.Seconds;
        var start = run.Start;
        var nextSample = 0;
        var killed = false;
        var sends = new List<Task>(total);
        for (var i = 0; i < total; i++)
        {
            var due = start + (long)(i * (double)Stopwatch.Frequency / o.Rate);
            await WaitUntilAsync(due);
            var elapsed = Stopwatch.GetElapsedTime(start).TotalSeconds;
            if (elapsed >= nextSample)
            {
                run.Samples.Add(Sample.Take(elapsed, replicas, redis));
                nextSample += o.Sample;
            }

            if (o.Kill > 0 && !killed && elapsed >= o.Kill)
            {
                replicas[0].Kill();
                killed = true;
                run.KilledAt = Stopwatch.GetTimestamp();
            }

            var alive = replicas.Where(r => !r.Killed).ToList();
            var target = alive[i % alive.Count];
            var ts = string.Create(CultureInfo.InvariantCulture, $"1700000000.{i:D6}");
            string? thread = null;
            lock (answeredThreads)
            {
                // A follow-up goes to a thread whose question was sent at least two seconds ago (answered by then).
                var cutoff = Stopwatch.GetTimestamp() - (2 * Stopwatch.Frequency);
                if (random.NextDouble() < o.FollowUps && answeredThreads.Count > 0 && answeredThreads[0].At < cutoff)
                {
                    var eligible = answeredThreads.FindLastIndex(t => t.At < cutoff);
                    thread = answeredThreads[random.Next(eligible + 1)].Ts;
                }
                else
                {
                    answeredThreads.Add((ts, Stopwatch.GetTimestamp()));
                }
            }

            var eventId = string.Create(CultureInfo.InvariantCulture, $"EvB{i:D8}");
            if (thread is not null)
            {
                run.FollowUps[eventId] = 0;
            }

            var body = Envelope(eventId, ts, thread, Questions[i % Questions.Length]).ToJsonString();
            sends.Add(SendAsync(http, target, eventId, body, run));
        }

        await Task.WhenAll(sends);
        var sentAll = Stopwatch.GetTimestamp();

        // Wait for the answers (at most 60 s after the last send), sampling on.
        while (Stopwatch.GetElapsedTime(sentAll) < TimeSpan.FromSeconds(60) && run.Acknowledged.Keys.Any(id => !slack.Posts.ContainsKey(id + "#0")))
        {
            await Task.Delay(250);
        }

        run.Samples.Add(Sample.Take(Stopwatch.GetElapsedTime(start).TotalSeconds, replicas, redis));
        return run;
    }

    /// <summary>
    /// This process is a fresh .NET process too: its client, signing, JSON and the stand-in's own paths are run a few
    /// hundred times first, so their JIT is not counted against the bot. The bots see only readiness probes.
    /// </summary>
    private static async Task WarmOwnPathsAsync(HttpClient http, SlackWebApiStandIn slack, List<Replica> replicas)
    {
        for (var i = 0; i < 300; i++)
        {
            var body = Envelope($"EvWARM{i}", "1.1", null, Questions[i % Questions.Length]);
            var post = new JsonObject { ["channel"] = Channel, ["text"] = body.ToJsonString(), ["metadata"] = new JsonObject { ["event_type"] = "supportbot_reply", ["event_payload"] = new JsonObject { ["mark"] = $"warm-up#{i}" } } };
            using var content = new StringContent(post.ToJsonString(), Encoding.UTF8, "application/json");
            content.Headers.Add("X-Slack-Signature", Sign("1", post.ToJsonString()));
            using var response = await http.PostAsync(new Uri(slack.ApiBase, "chat.postMessage"), content);
            Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp());
        }

        foreach (var replica in replicas)
        {
            for (var i = 0; i < 10; i++)
            {
                using var probe = await http.GetAsync(new Uri(replica.BaseAddress, "/readyz"));
            }
        }

        slack.Posts.Clear();
        Interlocked.Exchange(ref slack.Calls, 0);
    }

    private static async Task SendAsync(HttpClient http, Replica target, string eventId, string body, Run run)
    {
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(target.BaseAddress, "/slack/events"))
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Slack-Request-Timestamp", timestamp);
        request.Headers.Add("X-Slack-Signature", Sign(timestamp, body));
        var sent = Stopwatch.GetTimestamp();
        try
        {
            using var response = await http.SendAsync(request);
            var acked = Stopwatch.GetTimestamp();
            run.AckMs.Add((Stopwatch.GetElapsedTime(run.Start, sent).TotalSeconds, Stopwatch.GetElapsedTime(sent, acked).TotalMilliseconds));
            if (response.StatusCode == HttpStatusCode.OK)
            {
                run.Acknowledged[eventId] = sent;
            }
            else
            {
                run.Refused.Add((int)response.StatusCode);
            }
        }
        catch (HttpRequestException)
        {
            run.Refused.Add(0); // connection refused or reset: a killed replica; Slack would retry
        }
    }

    private static JsonObject Envelope(string eventId, string ts, string? thread, string question)
    {
        var ev = thread is null
            ? new JsonObject { ["type"] = "app_mention", ["user"] = "UAGENT01", ["text"] = $"<@{SlackWebApiStandIn.BotUserId}> {question}", ["ts"] = ts, ["channel"] = Channel, ["event_ts"] = ts }
            : new JsonObject { ["type"] = "message", ["user"] = "UAGENT01", ["text"] = $"And {question}", ["ts"] = ts, ["thread_ts"] = thread, ["channel"] = Channel, ["channel_type"] = "channel", ["event_ts"] = ts };
        return new JsonObject
        {
            ["token"] = "legacy",
            ["team_id"] = SlackWebApiStandIn.Team,
            ["api_app_id"] = "ABENCH01",
            ["event"] = ev,
            ["type"] = "event_callback",
            ["event_id"] = eventId,
            ["event_time"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
        };
    }

    /// <summary>Slack's v0 signature: HMAC-SHA256 of <c>v0:{timestamp}:{body}</c> with the signing secret.</summary>
    private static string Sign(string timestamp, string body) =>
        "v0=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(SigningSecret), Encoding.UTF8.GetBytes($"v0:{timestamp}:{body}")));

    private static async Task WaitUntilAsync(long due)
    {
        var wait = due - Stopwatch.GetTimestamp();
        if (wait > Stopwatch.Frequency / 500)
        {
            await Task.Delay(TimeSpan.FromTicks((long)((wait - (Stopwatch.Frequency / 1000)) * 10_000_000.0 / Stopwatch.Frequency)));
        }

        while (Stopwatch.GetTimestamp() < due)
        {
            Thread.SpinWait(50);
        }
    }

    private static string FindRepository()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SupportBot.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Run from the repository (SupportBot.sln not found above the program).");
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed record Settings(int Rate, int Seconds, int Replicas, int Latency, double FollowUps, int Sample, int Kill, string State, string[] Extra, string? Bot)
    {
        public static Settings Parse(string[] args)
        {
            var map = args.Skip(1).Where(a => a.Contains('=', StringComparison.Ordinal) && !a.StartsWith("--", StringComparison.Ordinal))
                .Select(a => a.Split('=', 2)).ToDictionary(a => a[0], a => a[1], StringComparer.Ordinal);
            int Int(string key, int fallback) => map.TryGetValue(key, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
            return new Settings(
                Int("rate", 100), Int("seconds", 60), Int("replicas", 1), Int("latency", 0),
                map.TryGetValue("followups", out var f) ? double.Parse(f, CultureInfo.InvariantCulture) : 0.3,
                Int("sample", 10), Int("kill", 0), map.GetValueOrDefault("state", "redis"),
                [.. args.Skip(1).Where(a => a.StartsWith("--", StringComparison.Ordinal))],
                map.GetValueOrDefault("bot"));
        }
    }

    private sealed class Run
    {
        public ConcurrentBag<(double AtSeconds, double Ms)> AckMs { get; } = [];
        public ConcurrentDictionary<string, long> Acknowledged { get; } = new(StringComparer.Ordinal);
        public ConcurrentBag<int> Refused { get; } = [];
        public ConcurrentDictionary<string, byte> FollowUps { get; } = new(StringComparer.Ordinal);
        public List<Sample> Samples { get; } = [];
        public long Start { get; init; }
        public long KilledAt { get; set; }

        public void Report(Settings o, SlackWebApiStandIn slack, List<Replica> replicas)
        {
            var latencies = new List<(double AtSeconds, double Ms)>();
            var lost = 0;
            foreach (var (id, sent) in Acknowledged)
            {
                if (!slack.Posts.TryGetValue(id + "#0", out var posts) || posts.IsEmpty)
                {
                    lost++;
                    continue;
                }

                latencies.Add((Stopwatch.GetElapsedTime(Start, sent).TotalSeconds, Stopwatch.GetElapsedTime(sent, posts.Min()).TotalMilliseconds));
            }

            var duplicated = slack.Posts.Count(p => p.Value.Count > 1);
            var unanswered = Acknowledged.Keys.Where(id => !slack.Posts.ContainsKey(id + "#0")).ToList();
            if (unanswered.Count > 0)
            {
                // A follow-up (a plain thread message) in a thread the bot has not replied in yet is ignored by design.
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"unanswered: {unanswered.Count}, of which follow-ups in threads not yet answered when they came: {unanswered.Count(FollowUps.ContainsKey)}"));
            }

            var ack = AckMs.Select(a => a.Ms).ToList();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"sent {ack.Count + Refused.Count(r => r == 0)}, acknowledged {Acknowledged.Count}, refused {Refused.Count} ({string.Join(' ', Refused.GroupBy(r => r).Select(g => $"{g.Key}x{g.Count()}"))}), answered {latencies.Count}, lost {lost}, answered twice {duplicated}"));
            Console.WriteLine($"ack (HTTP response)         {Percentiles(ack)}");
            Console.WriteLine($"  first 20 s                {Percentiles([.. AckMs.Where(a => a.AtSeconds < 20).Select(a => a.Ms)])}");
            Console.WriteLine($"  after 20 s                {Percentiles([.. AckMs.Where(a => a.AtSeconds >= 20).Select(a => a.Ms)])}");
            Console.WriteLine($"event -> reply posted       {Percentiles([.. latencies.Select(l => l.Ms)])}");
            Console.WriteLine($"  first 20 s                {Percentiles([.. latencies.Where(l => l.AtSeconds < 20).Select(l => l.Ms)])}");
            Console.WriteLine($"  after 20 s                {Percentiles([.. latencies.Where(l => l.AtSeconds >= 20).Select(l => l.Ms)])}");
            Console.WriteLine("  p99 by 2-second window:   " + string.Join(" ", latencies.GroupBy(l => (int)(l.AtSeconds / 2)).OrderBy(g => g.Key).Take(15)
                .Select(g => { var v = g.Select(x => x.Ms).Order().ToList(); return string.Create(CultureInfo.InvariantCulture, $"{v[Math.Min(v.Count - 1, (int)(v.Count * 0.99))]:0}"); })));
            if (KilledAt != 0)
            {
                var late = latencies.Where(l => l.Ms > 1000).ToList();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  answered after more than 1 s (taken over from the killed replica): {late.Count}, the slowest in {(late.Count == 0 ? 0 : late.Max(l => l.Ms)) / 1000:0.0} s"));
                var killedAt = Stopwatch.GetElapsedTime(Start, KilledAt).TotalSeconds;
                Console.WriteLine($"  sent in the 30 s before the kill at {killedAt:0.0} s: {Percentiles([.. latencies.Where(l => l.AtSeconds >= killedAt - 30 && l.AtSeconds < killedAt).Select(l => l.Ms)])}");
            }

            var lines = replicas.Sum(r => r.LogLines);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"log lines at the default level: {lines} for {latencies.Count} answers ({(latencies.Count == 0 ? 0 : (double)lines / latencies.Count):0.00} per answer)"));
            foreach (var line in replicas.SelectMany(r => r.FirstLines))
            {
                Console.WriteLine($"  | {line}");
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Web API calls: {slack.Calls} ({(latencies.Count == 0 ? 0 : (double)slack.Calls / latencies.Count):0.00} per answer)"));
            Console.WriteLine("t (s)   " + string.Join("  ", replicas.Select(r => $"replica {r.Number} MiB")) + "  redis used MiB");
            foreach (var sample in Samples)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{sample.At,5:0}   {string.Join("  ", sample.ReplicaMiB.Select(m => $"{m,13:0.0}"))}  {sample.RedisMiB,14:0.0}"));
            }
        }

        private static string Percentiles(List<double> values)
        {
            if (values.Count == 0)
            {
                return "n/a";
            }

            values.Sort();
            double At(double q) => values[Math.Min(values.Count - 1, (int)(values.Count * q))];
            return string.Create(CultureInfo.InvariantCulture, $"p50 {At(0.5),7:0.0} ms  p90 {At(0.9),7:0.0} ms  p99 {At(0.99),7:0.0} ms  max {values[^1],7:0.0} ms  (n={values.Count})");
        }
    }

    private sealed record Sample(double At, double[] ReplicaMiB, double RedisMiB)
    {
        public static Sample Take(double at, List<Replica> replicas, RedisProcess? redis) =>
            new(at, [.. replicas.Select(r => r.WorkingSetMiB())], redis?.UsedMemoryMiB() ?? 0);
    }
}
