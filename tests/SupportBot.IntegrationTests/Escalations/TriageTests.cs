using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using SupportBot.Core.Escalations;
using SupportBot.IntegrationTests.Infrastructure;
using SupportBot.IntegrationTests.Slack;

namespace SupportBot.IntegrationTests.Escalations;

/// <summary>
/// Triage on Slack with a clock the test moves: the route's rotation assigns new escalations round-robin, skipping
/// people Slack reports away; Take it reassigns; a sev1 window counted in the team's business hours reminds the
/// assignee and tells the lead of the breach.
/// </summary>
public sealed class TriageTests : IAsyncLifetime
{
    // Friday 2026-12-04 16:00 in Berlin (15:00 UTC).
    private static readonly DateTimeOffset FridayAfternoon = new(2026, 12, 4, 15, 0, 0, TimeSpan.Zero);

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
                slack: { channel: C0PAYOUTS, triage: C0TRIAGE }
                hours: { zone: Europe/Berlin, days: [mon, tue, wed, thu, fri], from: "09:00", to: "17:00" }
                holidays: [2026-12-07]
                sla:
                  acknowledge: 4h
                  sev1: { acknowledge: 2h }
                rotation: [UPRIYA, UOMAR, ULENA]
                lead: ULEAD
            """);
    }

    public async Task DisposeAsync()
    {
        await _slack.DisposeAsync();
        File.Delete(_routes);
    }

    private static async Task SendAsync(BotHost host, HttpRequestMessage request)
    {
        using (request)
        {
            using var response = await host.Client.SendAsync(request);
            response.EnsureSuccessStatusCode();
        }
    }

    // Requests are signed at the host's clock, which the test moves (Slack refuses signatures five minutes off).
    private static HttpRequestMessage Signed(string path, string body, string contentType, TimeProvider time) =>
        SlackRequests.SignedRequest(path, body, contentType, time.GetUtcNow());

    private async Task<SlackCall> EscalateAsync(BotHost host, string text, TimeProvider time)
    {
        var before = _slack.CallsTo("chat.postMessage").Count(c => c.Field("channel") == "C0PAYOUTS");
        await SendAsync(host, Signed("/slack/events", SlackRequests.Envelope(SlackRequests.Mention(text, SlackRequests.NextTs())).ToJsonString(), "application/json", time));
        return (await _slack.WaitForAsync("chat.postMessage", c => c.Field("channel") == "C0PAYOUTS", count: before + 1))[before];
    }

    [Fact]
    public async Task The_rotation_skips_people_who_are_away_take_it_reassigns_and_a_sev1_window_runs_in_business_hours()
    {
        var time = new FakeTimeProvider(FridayAfternoon);
        await using var host = await BotHost.StartAsync(time, [.. SlackRequests.Settings(_slack), $"Escalation:RoutesFile={_routes}"]);
        _slack.Away["UOMAR"] = true;

        var first = await EscalateAsync(host, "escalate to payouts sev1 payout missing for a week", time);
        var second = await EscalateAsync(host, "escalate to payouts sev3 payout late", time);
        Assert.Contains("<@UPRIYA>", first.Json.GetProperty("blocks").GetRawText().Replace("\\u003C", "<", StringComparison.Ordinal).Replace("\\u003E", ">", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("<@ULENA>", second.Field("text")!, StringComparison.Ordinal); // Omar's turn, but he is away

        // The triage channel hears of each new escalation, with its assignee.
        var triage = await _slack.WaitForAsync("chat.postMessage", c => c.Field("channel") == "C0TRIAGE", count: 2);
        Assert.StartsWith("New ESC-", triage[0].Field("text"), StringComparison.Ordinal);
        Assert.Contains("(sev1) for Payouts", triage[0].Field("text")!, StringComparison.Ordinal);
        Assert.Contains("<@UPRIYA>", triage[0].Field("text")!, StringComparison.Ordinal);

        var store = host.Services.GetRequiredService<IEscalationStore>();
        var escalation = (await store.FindByThreadAsync(new SupportBot.Core.Conversations.ConversationRef("slack", "C0PAYOUTS", first.Answer!["ts"]!.GetValue<string>()), CancellationToken.None))!;
        Assert.Equal("UPRIYA", escalation.Assignee);

        // Take it: whoever presses it has it.
        var value = first.Json.GetProperty("blocks").EnumerateArray().Where(b => b.GetProperty("type").GetString() == "actions")
            .SelectMany(b => b.GetProperty("elements").EnumerateArray()).Single(e => e.GetProperty("action_id").GetString() == "escalation.take").GetProperty("value").GetString()!;
        var ts = first.Answer!["ts"]!.GetValue<string>();
        var press = new JsonObject
        {
            ["type"] = "block_actions",
            ["team"] = new JsonObject { ["id"] = "T0001" },
            ["user"] = new JsonObject { ["id"] = "UOMAR", ["username"] = "omar", ["team_id"] = "T0001" },
            ["container"] = new JsonObject { ["type"] = "message", ["message_ts"] = ts, ["channel_id"] = "C0PAYOUTS" },
            ["channel"] = new JsonObject { ["id"] = "C0PAYOUTS" },
            ["message"] = new JsonObject { ["ts"] = ts, ["text"] = "escalation" },
            ["actions"] = new JsonArray(new JsonObject { ["action_id"] = "escalation.take", ["value"] = value, ["type"] = "button" }),
        };
        await SendAsync(host, Signed("/slack/interactions", SlackRequests.Form(new() { ["payload"] = press.ToJsonString() }), "application/x-www-form-urlencoded", time));
        await _slack.WaitForAsync("chat.postMessage", c => c.Field("text")?.Contains("taken by omar", StringComparison.Ordinal) == true);
        Assert.Equal("UOMAR", (await store.GetAsync(escalation.Id, CancellationToken.None))!.Assignee);

        // Sev1: 2h of working time from Friday 16:00 (Berlin) = 1h on Friday, Monday is a holiday, 1h on Tuesday:
        // due Tuesday 10:00 Berlin (09:00 UTC), the reminder at 80 % (Tuesday 09:36 Berlin).
        time.Advance(TimeSpan.FromHours(3)); // Friday evening: nothing yet
        await Task.Delay(300);
        Assert.DoesNotContain(_slack.CallsTo("chat.postMessage"), c => c.Field("text")?.StartsWith($"Reminder: {escalation.Id}", StringComparison.Ordinal) == true);

        time.SetUtcNow(new DateTimeOffset(2026, 12, 8, 8, 40, 0, TimeSpan.Zero));
        var reminder = (await _slack.WaitForAsync("chat.postMessage", c => c.Field("text")?.StartsWith($"Reminder: {escalation.Id}", StringComparison.Ordinal) == true))[0];
        Assert.Contains("<@UOMAR>", reminder.Field("text")!, StringComparison.Ordinal);
        Assert.Contains("Tue 8 Dec 09:00 UTC", reminder.Field("text")!, StringComparison.Ordinal);

        time.SetUtcNow(new DateTimeOffset(2026, 12, 8, 9, 1, 0, TimeSpan.Zero));
        var breaches = await _slack.WaitForAsync("chat.postMessage", c => c.Field("text")?.StartsWith($"SLA breached: {escalation.Id}", StringComparison.Ordinal) == true, count: 2);
        Assert.Single(breaches, b => b.Field("text")!.Contains("<@ULEAD>", StringComparison.Ordinal) && b.Field("channel") == "C0PAYOUTS");
        Assert.DoesNotContain(breaches, b => b.Field("channel") != "C0PAYOUTS" && b.Field("text")!.Contains("<@ULEAD>", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_rotation_skips_people_outside_their_own_working_hours()
    {
        // Friday 15:00 UTC: Berlin 16:00 (Priya at work), Tokyo 00:00 (Kenji off), New York 10:00 (Ana at work).
        var routes = Path.Combine(Path.GetTempPath(), $"routes-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(routes, """
            default: payouts
            routes:
              - team: payouts
                slack: { channel: C0PAYOUTS }
                hours: { zone: Europe/Berlin }                # Priya works the team's hours
                rotation: [UPRIYA, UKENJI, UANA]
                people:
                  UKENJI: { hours: { zone: Asia/Tokyo, from: "09:00", to: "18:00" } }
                  UANA: { hours: { zone: America/New_York, days: [mon, tue, wed, thu, fri] } }
            """);
        try
        {
            var time = new FakeTimeProvider(FridayAfternoon);
            await using var host = await BotHost.StartAsync(time, [.. SlackRequests.Settings(_slack), $"Escalation:RoutesFile={routes}"]);

            var first = await EscalateAsync(host, "escalate to payouts payout missing", time);
            var second = await EscalateAsync(host, "escalate to payouts payout late", time);
            Assert.Contains("<@UPRIYA>", first.Field("text")!, StringComparison.Ordinal);
            Assert.Contains("<@UANA>", second.Field("text")!, StringComparison.Ordinal); // Kenji's turn, but it is midnight in Tokyo

            // Monday 01:00 UTC: 10:00 in Tokyo (Kenji at work), 02:00 in Berlin and Sunday evening in New York (both off).
            time.SetUtcNow(new DateTimeOffset(2026, 12, 7, 1, 0, 0, TimeSpan.Zero));
            var third = await EscalateAsync(host, "escalate to payouts payout reversed", time);
            var fourth = await EscalateAsync(host, "escalate to payouts payout stuck", time);
            Assert.Contains("<@UKENJI>", third.Field("text")!, StringComparison.Ordinal); // Ana's turn, then Priya's: both off
            Assert.Contains("<@UKENJI>", fourth.Field("text")!, StringComparison.Ordinal); // Priya's turn: off
        }
        finally
        {
            File.Delete(routes);
        }
    }
}
