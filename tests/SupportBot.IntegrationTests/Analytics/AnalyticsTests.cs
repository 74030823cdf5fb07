using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;
using SupportBot.Core.Conversations;
using SupportBot.Core.Escalations;
using SupportBot.Core.Insights;
using SupportBot.IntegrationTests.Infrastructure;
using SupportBot.Redis;

namespace SupportBot.IntegrationTests.Analytics;

/// <summary>The analytics API on the real host and a real Redis: per-day counts, filters, escalation figures, CSV, bad requests.</summary>
[Collection(RedisCollection.Name)]
public sealed class AnalyticsTests(SharedRedis redis) : IAsyncLifetime
{
    private readonly string _prefix = SharedRedis.NewPrefix();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private BotHost _host = null!;

    public async Task InitializeAsync() =>
        _host = await BotHost.StartAsync(_time, $"Redis:Configuration={redis.Configuration}", $"Redis:KeyPrefix={_prefix}");

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private DateOnly Today => DailyCounters.DayOf(_time.GetUtcNow());

    private static string Day(DateOnly day) => DailyCounters.Name(day);

    private async Task<JsonElement> GetAsync(string query)
    {
        using var response = await _host.Client.GetAsync(new Uri("/api/analytics" + query, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>())!;
    }

    private static long[] Series(JsonElement report, string field) =>
        [.. report.GetProperty("trends").GetProperty("days").EnumerateArray().Select(d => d.GetProperty(field).GetInt64())];

    [Fact]
    public async Task Questions_and_votes_are_counted_per_utc_day_and_per_channel()
    {
        var dayA = Today;
        await _host.WaitForReplyAsync(await _host.SendAsync("What is the capital of France?"));
        await _host.WaitForReplyAsync(await _host.SendAsync("How do I respond to a dispute?"));

        _time.Advance(TimeSpan.FromDays(1));
        var dayB = Today;
        var asked = await _host.SendAsync("How do I respond to a dispute?");
        var reply = await _host.WaitForReplyAsync(asked);
        using (var rated = await _host.Client.PostAsJsonAsync("/chat/api/actions", new
        {
            threadId = asked.ThreadId, replyTo = reply.Seq, messageId = reply.InReplyTo, action = "feedback.reason", reason = "outdated", user = "tester",
        }))
        {
            Assert.Equal(HttpStatusCode.Accepted, rated.StatusCode);
        }

        // Two unanswered questions asked in a Slack channel, recorded as the pipeline records them.
        var insights = _host.Services.GetRequiredService<IInsightsStore>();
        await insights.RecordQuestionAsync(new QuestionRecord(_time.GetUtcNow(), "slack", "ann", "Can I change the payout schedule to \"weekly\", or only monthly?", "…", false, 0, "s1", "C0PAYOUTS"), default);
        await insights.RecordQuestionAsync(new QuestionRecord(_time.GetUtcNow(), "slack", "bo", "change payout schedule for a connected account", "…", false, 0, "s2", "C0PAYOUTS"), default);

        var period = $"?from={Day(dayA.AddDays(-1))}&to={Day(dayB)}";
        JsonElement all = default;
        await RedisServer.WaitUntilAsync(
            async () => (all = await GetAsync(period)).GetProperty("trends").GetProperty("totals").GetProperty("notHelpful").GetInt64() == 1,
            TimeSpan.FromSeconds(10), "the vote was never counted");

        Assert.Equal([0L, 2L, 3L], Series(all, "questions"));
        Assert.Equal([0L, 1L, 1L], Series(all, "answered"));
        Assert.Equal([0L, 1L, 2L], Series(all, "declined"));
        Assert.Equal([0L, 0L, 1L], Series(all, "notHelpful"));
        Assert.Equal(Day(dayA.AddDays(-1)), all.GetProperty("from").GetString());
        var reasons = all.GetProperty("trends").GetProperty("reasons");
        Assert.Equal("outdated", reasons[0].GetProperty("reason").GetString());
        Assert.Equal(1, reasons[0].GetProperty("count").GetInt64());
        Assert.Contains("C0PAYOUTS", all.GetProperty("trends").GetProperty("channels").EnumerateArray().Select(c => c.GetString()));

        // Gaps: the two payout questions form one cluster, France its own.
        var gaps = all.GetProperty("gaps");
        Assert.Equal(3, gaps.GetProperty("questions").GetInt32());
        Assert.Equal(2, gaps.GetProperty("clusterCount").GetInt32());
        var payouts = gaps.GetProperty("clusters")[0];
        Assert.Equal(2, payouts.GetProperty("count").GetInt32());
        Assert.Equal("change, payout, schedule", payouts.GetProperty("label").GetString());
        Assert.Equal("C0PAYOUTS", payouts.GetProperty("examples")[0].GetProperty("channel").GetString());

        var channel = await GetAsync(period + "&channel=C0PAYOUTS");
        Assert.Equal([0L, 0L, 2L], Series(channel, "questions"));
        Assert.Equal([0L, 0L, 0L], Series(channel, "notHelpful"));
        Assert.Equal(1, channel.GetProperty("gaps").GetProperty("clusterCount").GetInt32());

        // The day's hash expires with Retention:Analytics (400 days).
        var db = _host.Services.GetRequiredService<IConnectionMultiplexer>().GetDatabase();
        var ttl = await db.KeyTimeToLiveAsync(new RedisKeys(_prefix).InsightsDay(dayB));
        Assert.InRange(ttl!.Value, TimeSpan.FromDays(399), TimeSpan.FromDays(400));

        // CSV: one row a day; text quoted as RFC 4180 says; a download.
        using var trends = await _host.Client.GetAsync(new Uri($"/api/analytics.csv{period}&section=trends", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, trends.StatusCode);
        Assert.Equal("text/csv", trends.Content.Headers.ContentType!.MediaType);
        Assert.Equal("attachment", trends.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Equal($"supportbot-trends-{Day(dayA.AddDays(-1))}-to-{Day(dayB)}.csv", trends.Content.Headers.ContentDisposition.FileNameStar ?? trends.Content.Headers.ContentDisposition.FileName?.Trim('"'));
        var lines = (await trends.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("day,questions,answered,declined,helpful,not_helpful,helpful_ratio", lines[0]);
        Assert.Equal($"{Day(dayB)},3,1,2,0,1,0", lines[3]);
        Assert.Equal(4, lines.Length);

        var gapsCsv = await _host.Client.GetStringAsync(new Uri($"/api/analytics.csv{period}&section=gaps&channel=C0PAYOUTS", UriKind.Relative));
        Assert.Contains(",\"Can I change the payout schedule to \"\"weekly\"\", or only monthly?\",", gapsCsv, StringComparison.Ordinal);
        Assert.StartsWith("cluster,label,questions,latest,representative,example,asked_at,surface,channel\r\n1,\"change, payout, schedule\",2,", gapsCsv, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Escalations_are_figured_by_team_with_times_and_sla_and_filtered_by_team_and_channel()
    {
        var now = _time.GetUtcNow();
        var store = _host.Services.GetRequiredService<IEscalationStore>();
        async Task<Escalation> OpenAsync(string channel, DateTimeOffset at) => Escalation.Open(
            await store.NextIdAsync(default), "disputes", Severity.Sev2, null, "Evidence deadline", "ann",
            new ThreadAddress(new ConversationRef("slack", channel, at.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture)), new Dictionary<string, string>()), at);

        // Acknowledged in 10 minutes and resolved in 2 hours: within the disputes SLA (30 min, 8 h).
        var start = now.AddHours(-2);
        await store.SaveAsync((await OpenAsync("C0AGENTS", start)).Acknowledge("priya", start.AddMinutes(10))!.Resolve("priya", start.AddHours(2))!, default);
        // Passed to risk after 5 minutes; risk acknowledged 20 minutes later, past its 15-minute SLA.
        var other = now.AddHours(-1);
        await store.SaveAsync((await OpenAsync("C0OTHER", other)).Reassign("risk", "priya", other.AddMinutes(5))!.Acknowledge("omar", other.AddMinutes(25))!, default);
        // Opened 40 days ago: outside the default period (the last 30 days).
        await store.SaveAsync(await OpenAsync("C0AGENTS", now.AddDays(-40)), default);

        var report = await GetAsync(string.Empty);

        var escalations = report.GetProperty("escalations");
        Assert.Equal(2, escalations.GetProperty("count").GetInt32());
        Assert.False(escalations.GetProperty("truncated").GetBoolean());
        var teams = escalations.GetProperty("byTeam").EnumerateArray().ToDictionary(t => t.GetProperty("team").GetString()!);
        Assert.Equal(["disputes", "risk"], teams.Keys);
        var disputes = teams["disputes"];
        Assert.Equal(2, disputes.GetProperty("opened").GetInt32());
        Assert.Equal(1, disputes.GetProperty("reassigned").GetInt32());
        Assert.Equal(1, disputes.GetProperty("resolved").GetInt32());
        Assert.Equal(10, disputes.GetProperty("timeToAcknowledge").GetProperty("medianMinutes").GetDouble(), 3);
        Assert.Equal(120, disputes.GetProperty("timeToResolve").GetProperty("p90Minutes").GetDouble(), 3);
        Assert.Equal(1, disputes.GetProperty("acknowledgeSla").GetProperty("rate").GetDouble());
        var risk = teams["risk"];
        Assert.Equal(20, risk.GetProperty("timeToAcknowledge").GetProperty("medianMinutes").GetDouble(), 3);
        Assert.Equal(0, risk.GetProperty("acknowledgeSla").GetProperty("met").GetInt32());
        Assert.Equal(1, risk.GetProperty("acknowledgeSla").GetProperty("due").GetInt32());
        Assert.Equal(1, risk.GetProperty("pending").GetInt32());
        Assert.Contains("risk", report.GetProperty("teams").EnumerateArray().Select(t => t.GetProperty("team").GetString()));

        var onlyRisk = await GetAsync("?team=risk");
        Assert.Equal(["risk"], onlyRisk.GetProperty("escalations").GetProperty("byTeam").EnumerateArray().Select(t => t.GetProperty("team").GetString()));
        Assert.Equal(1, onlyRisk.GetProperty("escalations").GetProperty("count").GetInt32());

        var fromAgents = await GetAsync("?channel=C0AGENTS");
        var single = Assert.Single(fromAgents.GetProperty("escalations").GetProperty("byTeam").EnumerateArray());
        Assert.Equal(0, single.GetProperty("reassigned").GetInt32());

        var longer = await GetAsync($"?from={Day(Today.AddDays(-60))}&to={Day(Today)}");
        Assert.Equal(3, longer.GetProperty("escalations").GetProperty("count").GetInt32());

        var csv = await _host.Client.GetStringAsync(new Uri("/api/analytics.csv?section=escalations", UriKind.Relative));
        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("team,opened,acknowledged,resolved,reassigned,pending,ack_median_min,", lines[0], StringComparison.Ordinal);
        Assert.EndsWith(",ratings,rating_average", lines[0], StringComparison.Ordinal);
        Assert.Equal("disputes,2,1,1,1,0,10,10,120,120,1,1,1,1,1,1,0,", lines[1]); // nobody rated
        Assert.Equal("risk,1,1,0,0,1,20,20,,,0,1,0,0,0,,0,", lines[2]);
    }

    [Theory]
    [InlineData("?from=2026-13-01&to=2026-12-01", "from must be a date as YYYY-MM-DD.")]
    [InlineData("?from=2026-12-01&to=yesterday", "to must be a date as YYYY-MM-DD.")]
    [InlineData("?from=2026-12-05&to=2026-12-01", "from must not be after to.")]
    [InlineData("?from=2025-01-01&to=2026-01-02", "The period is at most 366 days.")]
    public async Task A_bad_period_is_refused_with_a_reason(string query, string error)
    {
        foreach (var path in new[] { "/api/analytics", "/api/analytics.csv" })
        {
            using var response = await _host.Client.GetAsync(new Uri(path + query, UriKind.Relative));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal(error, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
        }
    }

    [Fact]
    public async Task A_leap_years_whole_year_is_allowed_and_an_unknown_csv_section_is_refused()
    {
        using var year = await _host.Client.GetAsync(new Uri("/api/analytics?from=2028-01-01&to=2028-12-31", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, year.StatusCode);
        Assert.Equal(366, (await year.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("trends").GetProperty("days").GetArrayLength());

        using var section = await _host.Client.GetAsync(new Uri("/api/analytics.csv?section=users", UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, section.StatusCode);
        Assert.Contains("trends, reasons, gaps, escalations", await section.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
