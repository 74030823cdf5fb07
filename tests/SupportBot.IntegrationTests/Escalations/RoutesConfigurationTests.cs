using SupportBot.IntegrationTests.Cli;

namespace SupportBot.IntegrationTests.Escalations;

public sealed class RoutesConfigurationTests
{
    [Fact]
    public async Task A_broken_routes_file_stops_start_up_naming_the_key_and_the_problem()
    {
        var file = Path.Combine(Path.GetTempPath(), $"routes-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(file, "default: payouts\nroutes:\n  - team: payouts\n    slack: { channel: C1 }\n    sla: { acknowledge: 30 minutes }\n");
        try
        {
            var result = await CliRunner.RunAsync("ask", "hello", $"--Escalation:RoutesFile={file}");

            Assert.Equal(2, result.ExitCode);
            Assert.Contains("Escalation:RoutesFile: route 'payouts': sla.acknowledge '30 minutes'", result.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
