using Microsoft.Extensions.Time.Testing;
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
                sla: { acknowledge: 30m }
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
        // Both replicas read one clock the test moves: a 30-minute SLA runs out without waiting 30 minutes.
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        string[] settings =
        [
            .. SlackRequests.Settings(_slack),
            $"Escalation:RoutesFile={_routes}",
            $"Redis:Configuration={redis.Configuration}",
            $"Redis:KeyPrefix={SharedRedis.NewPrefix()}",
        ];
        await using var a = await BotHost.StartAsync(time, settings);
        await using var b = await BotHost.StartAsync(time, settings);

        var root = SlackRequests.NextTs();
        using (var request = SlackRequests.Event(SlackRequests.Envelope(SlackRequests.Mention("escalate to payouts payout missing for a week", root, channel: "CAGENTS02"))))
        {
            Assert.Equal(System.Net.HttpStatusCode.OK, (await a.Client.SendAsync(request)).StatusCode);
        }

        await _slack.WaitForAsync("chat.postMessage", c => c.Field("text")?.StartsWith("Escalated to Payouts as ESC-", StringComparison.Ordinal) == true);
        Assert.DoesNotContain(Posts(), p => p.StartsWith("Reminder: ESC-", StringComparison.Ordinal));

        // 30 minutes to acknowledge: the reminder at 80 % (24 minutes), in the team thread ...
        time.Advance(TimeSpan.FromMinutes(25));
        await _slack.WaitForAsync("chat.postMessage", c => c.Field("text")?.StartsWith("Reminder: ESC-", StringComparison.Ordinal) == true);
        Assert.DoesNotContain(Posts(), p => p.StartsWith("SLA breached: ESC-", StringComparison.Ordinal));

        // ... and the breach at 30, in the team thread and the requester's.
        time.Advance(TimeSpan.FromMinutes(5));
        await _slack.WaitForAsync("chat.postMessage", c => c.Field("text")?.StartsWith("SLA breached: ESC-", StringComparison.Ordinal) == true, count: 2);

        // Both replicas keep polling (every 15 s by default): would either send anything twice?
        for (var i = 0; i < 4; i++)
        {
            time.Advance(TimeSpan.FromSeconds(15));
            await Task.Delay(100);
        }

        var posts = Posts();
        Assert.Single(posts, p => p.StartsWith("Reminder: ESC-", StringComparison.Ordinal));
        Assert.Equal(2, posts.Count(p => p.StartsWith("SLA breached: ESC-", StringComparison.Ordinal)));
        Assert.Single(posts, p => p.StartsWith("Escalated to Payouts as ESC-", StringComparison.Ordinal));
    }

    private List<string> Posts() => [.. _slack.Calls.Where(c => c.Method == "chat.postMessage").Select(c => c.Field("text") ?? string.Empty)];
}
