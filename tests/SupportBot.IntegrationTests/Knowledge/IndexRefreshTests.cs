using SupportBot.IntegrationTests.Cli;
using SupportBot.IntegrationTests.Infrastructure;

namespace SupportBot.IntegrationTests.Knowledge;

public sealed class IndexRefreshTests : IDisposable
{
    private readonly string _work = Path.Combine(Path.GetTempPath(), "supportbot-tests", Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task A_running_host_answers_from_a_new_ingest_without_a_restart()
    {
        var index = Path.Combine(_work, "index");
        await using var host = await BotHost.StartAsync($"Knowledge:IndexPath={index}");
        var before = await host.WaitForReplyAsync(await host.SendAsync("How does the quokka settlement ledger reconcile?"));
        Assert.False(before.Confident);

        var docs = Path.Combine(_work, "docs");
        Directory.CreateDirectory(docs);
        await File.WriteAllTextAsync(Path.Combine(docs, "quokka.md"), """
            ---
            title: Quokka settlement ledger
            url: https://kb.example/quokka-ledger
            ---
            The quokka settlement ledger reconciles nightly against the bank statement.
            """);
        var ingest = await CliRunner.RunAsync("ingest", docs, "--index", index);
        Assert.Equal(0, ingest.ExitCode);

        // The host looks for new commits every few seconds; ask until the new article is cited.
        SupportBot.Host.Endpoints.ChatReply? after = null;
        await RedisServer.WaitUntilAsync(async () =>
        {
            after = await host.WaitForReplyAsync(await host.SendAsync("How does the quokka settlement ledger reconcile?"));
            return after.Confident;
        }, TimeSpan.FromSeconds(30), "the host never saw the new commit");
        Assert.Contains(after!.Citations, c => c.Url == "https://kb.example/quokka-ledger");

        // The sample knowledge base it was built from is still there.
        Assert.True((await host.WaitForReplyAsync(await host.SendAsync("How do I respond to a dispute?"))).Confident);
    }

    [Fact]
    public async Task Two_hosts_on_one_index_folder_build_it_once_and_both_serve_each_published_commit()
    {
        var index = Path.Combine(_work, "shared-index");

        // Started together on an empty folder: one builds the index, the other waits for its commit.
        var starting = new[] { BotHost.StartAsync($"Knowledge:IndexPath={index}"), BotHost.StartAsync($"Knowledge:IndexPath={index}") };
        await using var first = await starting[0];
        await using var second = await starting[1];
        foreach (var host in new[] { first, second })
        {
            Assert.True((await host.WaitForReplyAsync(await host.SendAsync("How do I respond to a dispute?"))).Confident);
        }

        // Built once: every passage is there exactly once.
        using (var directory = Lucene.Net.Store.FSDirectory.Open(index))
        using (var reader = Lucene.Net.Index.DirectoryReader.Open(directory))
        {
            var ids = Enumerable.Range(0, reader.MaxDoc).Select(d => reader.Document(d).Get("id")).ToList();
            Assert.True(ids.Count > 100, $"only {ids.Count} passages");
            Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        }

        var docs = Path.Combine(_work, "published");
        Directory.CreateDirectory(docs);
        await File.WriteAllTextAsync(Path.Combine(docs, "wombat.md"), """
            ---
            title: Wombat payout calendar
            url: https://kb.example/wombat-calendar
            ---
            The wombat payout calendar lists every bank holiday that delays a payout.
            """);
        Assert.Equal(0, (await CliRunner.RunAsync("ingest", docs, "--index", index)).ExitCode);

        foreach (var host in new[] { first, second })
        {
            await RedisServer.WaitUntilAsync(async () =>
            {
                var reply = await host.WaitForReplyAsync(await host.SendAsync("What does the wombat payout calendar list?"));
                return reply.Confident && reply.Citations.Any(c => c.Url == "https://kb.example/wombat-calendar");
            }, TimeSpan.FromSeconds(30), "a host never saw the published commit");
        }
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
