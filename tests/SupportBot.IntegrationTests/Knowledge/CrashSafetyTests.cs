using System.Diagnostics;
using System.Text.Json;
using SupportBot.IntegrationTests.Cli;

namespace SupportBot.IntegrationTests.Knowledge;

public sealed class CrashSafetyTests : IDisposable
{
    private readonly string _work = Path.Combine(Path.GetTempPath(), "supportbot-tests", Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task An_ingest_killed_midway_leaves_the_previous_index_usable()
    {
        var index = Path.Combine(_work, "index");
        var first = Path.Combine(_work, "first");
        Directory.CreateDirectory(first);
        await File.WriteAllTextAsync(Path.Combine(first, "wires.md"), "---\ntitle: Wire recalls\nurl: https://kb.example/wires\n---\nWire recalls succeed only before the beneficiary withdraws the funds.");
        Assert.Equal(0, (await CliRunner.RunAsync("ingest", first, "--index", index)).ExitCode);

        // A larger corpus: one file per article, so the run reports progress file by file.
        var big = Path.Combine(_work, "big");
        Directory.CreateDirectory(big);
        for (var i = 0; i < 2_000; i++)
        {
            await File.WriteAllTextAsync(Path.Combine(big, $"article-{i:D5}.md"),
                $"---\ntitle: Synthetic article {i}\n---\nZebrafinch topic {i} explains settlement batch {i} in detail.\n\n## More\nSection text for batch {i}.");
        }

        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "supportbot.dll"), "ingest", big, "--index", index })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var added = 0;
        while (await process.StandardOutput.ReadLineAsync() is { } line)
        {
            if (line.StartsWith("added", StringComparison.Ordinal) && ++added == 300)
            {
                process.Kill(entireProcessTree: true);
                break;
            }
        }

        await process.WaitForExitAsync();
        Assert.Equal(300, added); // Killed mid-run, not after it finished.
        Assert.NotEqual(0, process.ExitCode);

        var ask = await CliRunner.RunAsync("ask", "When do wire recalls succeed?", "--json", $"--Knowledge:IndexPath={index}");
        using var json = JsonDocument.Parse(ask.Stdout);
        Assert.True(json.RootElement.GetProperty("confident").GetBoolean());
        Assert.Equal("https://kb.example/wires", json.RootElement.GetProperty("citations")[0].GetProperty("url").GetString());
        var synthetic = await CliRunner.RunAsync("ask", "zebrafinch settlement batch", "--json", $"--Knowledge:IndexPath={index}");
        Assert.DoesNotContain("Synthetic article", synthetic.Stdout, StringComparison.Ordinal);

        // The next run completes, and sees the first file as unchanged.
        var rerun = await CliRunner.RunAsync("ingest", first, big, "--index", index);
        Assert.Contains("2000 added, 0 updated, 0 removed, 1 unchanged, 0 failed", rerun.Stdout, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_work, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
