using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Running;
using SupportBot.Benchmarks;
using SupportBot.Core.Answering;

// `latency N [PROXIMITY]` measures one search at a time (p50/p99 per query) and the process's memory over
// an index of N synthetic passages (PROXIMITY overrides Knowledge:Search:ProximityBoost); `hybrid N [DIMENSIONS]`
// does the same for hybrid search over passages with random vectors (HybridLatency.cs); `e2e key=value…` runs
// the bot end to end under open-loop Slack load (EndToEnd/EndToEndLoad.cs); `http-floor PORT` serves Kestrel's
// bare acknowledgement for bench/slack/run.sh (Http/HttpFloor.cs); anything else goes to BenchmarkDotNet
// (e.g. --filter '*' --job short).
if (args is ["e2e", ..])
{
    return await SupportBot.Benchmarks.EndToEnd.EndToEndLoad.RunAsync(args);
}

if (args is ["http-floor", var floorPort])
{
    return await SupportBot.Benchmarks.Http.HttpFloor.RunAsync(int.Parse(floorPort, CultureInfo.InvariantCulture));
}

if (args is ["hybrid", var passages, ..])
{
    var dimensions = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 384;
    return await HybridLatency.RunAsync(int.Parse(passages, CultureInfo.InvariantCulture), dimensions);
}

if (args is ["latency", var size, ..])
{
    var chunks = int.Parse(size, CultureInfo.InvariantCulture);
    var path = Path.Combine(Path.GetTempPath(), $"supportbot-bench-{chunks}");
    var ranking = new SupportBot.Knowledge.Search.KnowledgeSearchOptions();
    if (args.Length > 2)
    {
        ranking.ProximityBoost = double.Parse(args[2], CultureInfo.InvariantCulture);
    }

    var (index, search) = SyntheticCorpus.Open(path, ranking);
    if (!Directory.Exists(path))
    {
        var started = Stopwatch.GetTimestamp();
        var written = await index.UpsertAsync(SyntheticCorpus.Articles(chunks), default);
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ingested {written} passages in {seconds:0.0} s: {written / seconds:0} passages/s"));
    }

    await index.EnsureOpenAsync(default);
    // Warm-up with other questions until tiered compilation has settled, as in a server that has been up a while.
    foreach (var question in SyntheticCorpus.Questions(3_000, seed: 5))
    {
        await search.SearchAsync(new SearchRequest(question, [], 6), default);
    }

    var questions = SyntheticCorpus.Questions(2_000);

    var times = new List<double>(questions.Length);
    foreach (var question in questions)
    {
        var started = Stopwatch.GetTimestamp();
        await search.SearchAsync(new SearchRequest(question, [], 6), default);
        times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    times.Sort();
    using var process = Process.GetCurrentProcess();
    process.Refresh();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{chunks} passages: p50 {times[times.Count / 2]:0.000} ms, p99 {times[(int)(times.Count * 0.99)]:0.000} ms, max {times[^1]:0.000} ms; " +
        $"working set {process.WorkingSet64 / (1024 * 1024)} MiB, peak {process.PeakWorkingSet64 / (1024 * 1024)} MiB, managed heap {GC.GetTotalMemory(false) / (1024 * 1024)} MiB"));
    index.Dispose();
    return 0;
}

BenchmarkSwitcher.FromAssembly(typeof(SearchBenchmarks).Assembly).Run(args);
return 0;
