using System.CommandLine;
using System.Text.Json;
using Microsoft.Extensions.Options;
using SupportBot.Core.Audit;
using SupportBot.Core.State;
using SupportBot.Redis;

namespace SupportBot.Host.Cli;

/// <summary>The JSON printed by <c>erase --json</c>.</summary>
public sealed record EraseResult(string Subject, IReadOnlyDictionary<string, int> Removed, int Total);

/// <summary>
/// <c>supportbot erase --user ID [--name NAME] | --case ID [--json]</c>: removes a person's or a case's data from
/// the shared state store on request, reports what it removed, and records the erasure in the audit trail.
/// </summary>
internal static class EraseCommand
{
    public static Command Create()
    {
        var user = new Option<string?>("--user") { Description = "A user id (Slack U…, Teams 29:…, or the web sign-in subject)." };
        var name = new Option<string?>("--name") { Description = "With --user: the name the dashboard shows for them, to erase those records too." };
        var caseId = new Option<string?>("--case") { Description = "A case id." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object." };
        var command = new Command("erase", "Remove a user's or a case's data on request and report what was removed.") { user, name, caseId, json };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction((result, cancellationToken) =>
            RunAsync(result.GetValue(user), result.GetValue(name), result.GetValue(caseId), result.GetValue(json), result.UnmatchedTokens, cancellationToken));
        return command;
    }

    private static Task<int> RunAsync(string? user, string? name, string? caseId, bool json, IReadOnlyList<string> configuration, CancellationToken cancellationToken) =>
        SupportBotCli.GuardConfigurationAsync(async () =>
        {
            if (string.IsNullOrWhiteSpace(user) == string.IsNullOrWhiteSpace(caseId))
            {
                await Console.Error.WriteLineAsync("erase: give exactly one of --user ID or --case ID, e.g. supportbot erase --case 12345");
                return SupportBotCli.BadUsage;
            }

            using var host = CliHost.Build(configuration);
            if (!host.Services.GetRequiredService<IOptions<RedisOptions>>().Value.Enabled)
            {
                await Console.Error.WriteLineAsync("erase: Redis:Configuration is not set. Without Redis, state lives only inside the running host and ends with it; point erase at the deployment's Redis (--Redis:Configuration=HOST:PORT).");
                return SupportBotCli.BadUsage;
            }

            var eraser = host.Services.GetRequiredService<IDataEraser>();
            var report = user is { Length: > 0 }
                ? await eraser.EraseUserAsync(user.Trim(), name?.Trim(), cancellationToken)
                : await eraser.EraseCaseAsync(caseId!.Trim().TrimStart('#'), cancellationToken);
            await host.Services.GetRequiredService<IAuditTrail>().RecordAsync(
                new AuditEntry(
                    host.Services.GetRequiredService<TimeProvider>().GetUtcNow(), "erase", "cli", string.Empty, Environment.UserName, Environment.UserName,
                    report.Subject, "supportbot erase", $"removed {report.Total}"),
                cancellationToken);

            if (json)
            {
                Console.WriteLine(JsonSerializer.Serialize(new EraseResult(report.Subject, report.Removed, report.Total), HostJson.Default.EraseResult));
            }
            else
            {
                Console.WriteLine($"Erased {report.Subject}:");
                foreach (var (kind, count) in report.Removed)
                {
                    Console.WriteLine($"  {kind}: {count}");
                }

                Console.WriteLine("The audit trail keeps who looked what up (Retention:Audit); this erasure is recorded there too.");
            }

            return SupportBotCli.Success;
        });
}
