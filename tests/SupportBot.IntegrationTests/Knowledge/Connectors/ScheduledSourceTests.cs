using SupportBot.IntegrationTests.Cli;
using SupportBot.IntegrationTests.Infrastructure;

namespace SupportBot.IntegrationTests.Knowledge.Connectors;

public sealed class ScheduledSourceTests : IAsyncLifetime
{
    private readonly string _work = Path.Combine(Path.GetTempPath(), "supportbot-tests", Guid.NewGuid().ToString("N"));
    private HelpCenterStandIn _zendesk = null!;

    public async Task InitializeAsync()
    {
        _zendesk = await HelpCenterStandIn.StartAsync();
        _zendesk.Put(41, "Quokka wallet chargebacks", "<p>A quokka wallet chargeback must be answered within eleven days, with the wallet receipt as evidence.</p>", section: 10, updatedAt: 1_700_000_100);
    }

    [Fact]
    public async Task The_host_syncs_a_due_source_on_its_schedule_and_answers_from_it_without_a_restart()
    {
        await using var host = await BotHost.StartAsync([$"Knowledge:IndexPath={Path.Combine(_work, "index")}", .. Settings("00:00:02")]);

        SupportBot.Host.Endpoints.ChatReply? reply = null;
        await RedisServer.WaitUntilAsync(async () =>
        {
            reply = await host.WaitForReplyAsync(await host.SendAsync("How long do I have to answer a quokka wallet chargeback?"));
            return reply.Confident && reply.Citations.Any(c => c.Url == "https://help.example/hc/en-us/articles/41");
        }, TimeSpan.FromSeconds(45), "the scheduled sync never reached the answers");
        Assert.Contains(_zendesk.ExportRequests, r => r.EndsWith("start_time=0", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Ingest_source_syncs_one_source_with_progress_lines_and_names_an_unknown_one()
    {
        var index = Path.Combine(_work, "cli-index");
        var run = await CliRunner.RunAsync(["ingest", "--source", "helpcenter", "--index", index, .. Settings(every: string.Empty).Select(s => "--" + s)]);

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Contains("syncing helpcenter (full)", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("added     helpcenter:41", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("Synced helpcenter (full)", run.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(HelpCenterStandIn.Token, run.Stdout + run.Stderr, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(index, "sync-helpcenter.json")));

        var unknown = await CliRunner.RunAsync("ingest", "--source", "wiki", "--index", index);
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("Knowledge:Connectors:wiki: no such source", unknown.Stderr, StringComparison.Ordinal);

        var incomplete = await CliRunner.RunAsync("ingest", "--source", "wiki", "--index", index, "--Knowledge:Connectors:wiki:Type=confluence", "--Knowledge:Connectors:wiki:BaseUrl=http://wiki.example");
        Assert.Equal(2, incomplete.ExitCode);
        Assert.Contains("Knowledge:Connectors:wiki:BaseUrl: must use https", incomplete.Stderr, StringComparison.Ordinal);
        Assert.Contains("Knowledge:Connectors:wiki:Spaces", incomplete.Stderr, StringComparison.Ordinal);
    }

    public async Task DisposeAsync()
    {
        await _zendesk.DisposeAsync();
        try
        {
            Directory.Delete(_work, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private string[] Settings(string every) =>
    [
        "Knowledge:Connectors:helpcenter:Type=zendesk",
        $"Knowledge:Connectors:helpcenter:BaseUrl={_zendesk.BaseAddress}",
        $"Knowledge:Connectors:helpcenter:Email={HelpCenterStandIn.Email}",
        $"Knowledge:Connectors:helpcenter:ApiToken={HelpCenterStandIn.Token}",
        $"Knowledge:Connectors:helpcenter:Every={every}",
    ];
}
