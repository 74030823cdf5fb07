using Microsoft.Extensions.DependencyInjection;
using SupportBot.Core.Escalations;
using SupportBot.IntegrationTests.Infrastructure;

namespace SupportBot.IntegrationTests.Escalations;

/// <summary>A changed routes file applies on a running host without a restart; a broken one leaves the routes in force.</summary>
public sealed class RoutesReloadTests : IAsyncLifetime
{
    private const string Routes = """
        default: payments
        routes:
          - team: payments
            name: Payments
            match: [refund]
            slack: { channel: C0PAYMENTS }
        """;

    private string _folder = null!;
    private string _file = null!;

    public async Task InitializeAsync()
    {
        _folder = Directory.CreateTempSubdirectory("supportbot-routes-").FullName;
        _file = Path.Combine(_folder, "routes.yaml");
        await File.WriteAllTextAsync(_file, Routes);
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_new_team_in_the_file_is_routed_to_within_seconds_and_a_broken_file_changes_nothing()
    {
        await using var host = await BotHost.StartAsync($"Escalation:RoutesFile={_file}", "Escalation:ReloadInterval=00:00:01");
        var routes = host.Services.GetRequiredService<EscalationRoutes>();
        Assert.Null(routes.Find("tax"));

        await File.WriteAllTextAsync(_file, Routes + """

              - team: tax
                name: Tax
                match: [vat]
                slack: { channel: C0TAX }
                sla: { acknowledge: 1h, resolve: 1d }
            """);
        File.SetLastWriteTimeUtc(_file, DateTime.UtcNow.AddSeconds(5));
        await RedisServer.WaitUntilAsync(() => Task.FromResult(routes.Find("tax") is not null), TimeSpan.FromSeconds(10), "the new team never applied");
        Assert.Equal("tax", routes.Suggest("the merchant asks about VAT on fees", []).Team);
        Assert.Equal(TimeSpan.FromHours(1), routes.Find("tax")!.AcknowledgeWithin);

        await File.WriteAllTextAsync(_file, "default: nobody\nroutes: []\n");
        File.SetLastWriteTimeUtc(_file, DateTime.UtcNow.AddSeconds(10));
        await Task.Delay(2_500);
        Assert.NotNull(routes.Find("tax"));
        Assert.Equal(2, routes.Routes.Count);
    }
}
