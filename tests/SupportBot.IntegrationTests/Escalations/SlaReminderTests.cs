using System.Text.Json.Nodes;
using SupportBot.IntegrationTests.Infrastructure;
using SupportBot.IntegrationTests.Slack;

namespace SupportBot.IntegrationTests.Escalations;

/// <summary>SLA reminders with two replicas sharing one Redis: each reminder and breach note goes out once.</summary>
[Collection(RedisCollection.Name)]
public sealed class SlaReminderTests(SharedRedis redis) : IAsyncLifetime
{
    private SlackApiStandIn _slack = null!;
    private string _routes = null!;

    public async Task InitializeAsync()
    {
        _slack = await SlackApiStandIn.StartAsync();
        _routes = Path.Combine(Path.GetTempPath(), $"routes-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(_routes, """
            default: payouts
            routes:
              - team: payouts
                name: Payouts
                match: [payout]
                slack: { channel: C0PAYOUTS }
                sla: { acknowledge: 4s }
            """);
    }

    public async Task DisposeAsync()
    {
        await _slack.DisposeAsync();
        File.Delete(_routes);
    }

    [Fact]
    public async Task A_reminder_and_a_breach_note_are_sent_once_by_two_replicas()
    {
        string[] settings =
        [
            .. SlackRequests.Settings(_slack),
            $"Escalation:RoutesFile={_routes}",
            "Escalation:SlaPollInterval=00:00:01",
            $"Redis:Configuration={redis.Configuration}",
            $"Redis:KeyPrefix={SharedRedis.NewPrefix()}",
        ];
        await using var a = await BotHost.StartAsync(settings);
        await using var b = await BotHost.StartAsync(settings);

        var root = SlackRequests.NextTs();
        using (var request = SlackRequests.Event(SlackRequests.Envelope(SlackRequests.Mention("escalate to payouts payout missing for a week", root, channel: "CAGENTS02"))))
        {
            Assert.Equal(System.Net.HttpStatusCode.OK, (await a.Client.SendAsync(request)).StatusCode);
        }

        // 4 s to acknowledge: a reminder before the deadline, the breach at it, in the team thread (and the breach also in the origin).
        await _slack.WaitForAsync("chat.postMessage", c => c.Field("text")?.StartsWith("SLA breached: ESC-", StringComparison.Ordinal) == true, count: 2, seconds: 30);
        await Task.Delay(2500); // Both replicas keep polling: would either send anything twice?

        var posts = _slack.Calls.Where(c => c.Method == "chat.postMessage").Select(c => c.Field("text") ?? string.Empty).ToList();
        Assert.Single(posts, p => p.StartsWith("Reminder: ESC-", StringComparison.Ordinal));
        Assert.Equal(2, posts.Count(p => p.StartsWith("SLA breached: ESC-", StringComparison.Ordinal)));
        Assert.Single(posts, p => p.StartsWith("Escalated to Payouts as ESC-", StringComparison.Ordinal));
    }
}
