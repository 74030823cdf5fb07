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
