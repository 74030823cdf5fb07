using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;
using SupportBot.Core.Audit;
using SupportBot.Core.Conversations;
using SupportBot.Core.Escalations;
using SupportBot.Core.State;
using SupportBot.IntegrationTests.Cli;
using SupportBot.IntegrationTests.Infrastructure;
using SupportBot.Redis;

namespace SupportBot.IntegrationTests.State;

/// <summary>Every Redis key has a TTL or a documented retention, and erase removes a user's or a case's data.</summary>
[Collection(RedisCollection.Name)]
public sealed class RetentionAndErasureTests(SharedRedis redis) : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.Parse("2026-11-25T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The key families documented (docs/operations.md) as kept without a TTL, each for its reason.</summary>
    private static readonly string[] KeptWithoutTtl = ["{inbox}:stream", "{escalations}:seq", "{sla}:timers", "{insights}:totals", "{secrets}:action-signing-key", "{curation}:articles", "{threads}:docs", "{threads}:at"];

    private readonly string _prefix = SharedRedis.NewPrefix();
    private ConnectionMultiplexer _redis = null!;

    public async Task InitializeAsync() => _redis = await ConnectionMultiplexer.ConnectAsync(redis.Configuration + ",allowAdmin=true");

    public async Task DisposeAsync() => await _redis.DisposeAsync();

    private string[] Settings(params string[] more) => [$"Redis:Configuration={redis.Configuration}", $"Redis:KeyPrefix={_prefix}", .. more];

    private async Task<List<RedisKey>> KeysAsync()
    {
        var server = _redis.GetServers()[0];
        var found = new List<RedisKey>();
        await foreach (var key in server.KeysAsync(pattern: _prefix + ":*"))
        {
            found.Add(key);
        }

        return found;
    }

    [Fact]
    public async Task After_questions_a_case_lookup_and_an_escalation_every_key_has_a_ttl_or_a_documented_retention()
    {
        await using (var host = await BotHost.StartAsync(Settings()))
        {
            await host.WaitForReplyAsync(await host.SendAsync("How do I respond to a dispute?"));
            await host.WaitForReplyAsync(await host.SendAsync("What is the capital of France?"));
            await host.WaitForReplyAsync(await host.SendAsync("case 12345"));
        }

        var store = new RedisEscalationStore(_redis, new RedisKeys(_prefix), Options.Create(new RetentionOptions()));
        var escalation = Escalation.Open(await store.NextIdAsync(default), "disputes", Severity.Sev2, "12345", "Evidence deadline", "ann",
            new ThreadAddress(new ConversationRef("slack", "C0AGENTS", "1700000000.1"), new Dictionary<string, string>()), T0);
        await store.SaveAsync(escalation, default);
        await store.SaveAsync(escalation.Resolve("priya", T0.AddHours(1))!, default);

        var keys = await KeysAsync();
        Assert.Contains(keys, k => k.ToString().EndsWith(":history", StringComparison.Ordinal));
        Assert.Contains(keys, k => k.ToString().Contains("{audit}", StringComparison.Ordinal));
        Assert.Contains(keys, k => k.ToString().Contains("{user:", StringComparison.Ordinal));
        var db = _redis.GetDatabase();
        foreach (var key in keys)
        {
            var ttl = await db.KeyTimeToLiveAsync(key);
            var documented = KeptWithoutTtl.Any(family => key.ToString().EndsWith(family, StringComparison.Ordinal));
            Assert.True(ttl is not null || documented, $"{key} has no TTL and no documented retention");
        }

        var resolvedTtl = await db.KeyTimeToLiveAsync(new RedisKeys(_prefix).Escalation(escalation.Id));
        Assert.InRange(resolvedTtl!.Value, TimeSpan.FromDays(89), TimeSpan.FromDays(90));
    }

    [Fact]
    public async Task Audit_entries_older_than_the_retention_are_dropped()
    {
        var time = new FakeTimeProvider(T0);
        var retention = new RetentionOptions { Audit = TimeSpan.FromDays(30) };
        var audit = new RedisAuditTrail(_redis, new RedisKeys(_prefix), Options.Create(retention), time);

        await audit.RecordAsync(new AuditEntry(time.GetUtcNow(), "case.lookup", "slack", "T1", "U1", "ann", "12345", "C1/1", "shown"), default);
        time.Advance(TimeSpan.FromDays(31));
        await audit.RecordAsync(new AuditEntry(time.GetUtcNow(), "case.lookup", "slack", "T1", "U2", "bo", "12346", "C1/2", "shown-privately"), default);

        var entries = await audit.ReadAsync(10, default);
        Assert.Equal(["12346"], entries.Select(e => e.Subject));
        Assert.Equal(1, await _redis.GetDatabase().SortedSetLengthAsync(new RedisKeys(_prefix).Audit));
        Assert.NotNull(await _redis.GetDatabase().KeyTimeToLiveAsync(new RedisKeys(_prefix).Audit));
    }

    [Fact]
    public async Task Erase_removes_a_users_conversations_and_dashboard_records_and_reports_them()
    {
        await using (var host = await BotHost.StartAsync(Settings()))
        {
            var first = await host.SendAsync("How do I respond to a dispute?");
            var reply = await host.WaitForReplyAsync(first);
            await host.WaitForReplyAsync(await host.SendAsync("Why is a payout delayed?"));
            using var rated = await host.Client.PostAsJsonAsync("/chat/api/actions", new
            {
                threadId = first.ThreadId, replyTo = reply.Seq, messageId = reply.InReplyTo, action = "feedback.reason", reason = "wrong", comment = "not our process", user = "tester",
            });
            Assert.Equal(System.Net.HttpStatusCode.Accepted, rated.StatusCode);
            await RedisServer.WaitUntilAsync(
                async () => await _redis.GetDatabase().ListLengthAsync(new RedisKeys(_prefix).Feedback) > 0, TimeSpan.FromSeconds(10), "the feedback was never stored");
        }

        Assert.Contains(await KeysAsync(), k => k.ToString().EndsWith(":history", StringComparison.Ordinal));
        Assert.Contains(await KeysAsync(), k => k.ToString().Contains(":answer:", StringComparison.Ordinal));

        // The web chat's open default names its user "tester" (BotHost sends that name).
        var result = await CliRunner.RunAsync(["erase", "--user", "tester", "--json", .. Settings().Select(s => "--" + s)]);

        Assert.Equal(0, result.ExitCode);
        var report = JsonDocument.Parse(result.Stdout).RootElement;
        Assert.Equal("user tester", report.GetProperty("subject").GetString());
        Assert.True(report.GetProperty("removed").GetProperty("conversations").GetInt32() >= 1);
        Assert.Equal(3, report.GetProperty("removed").GetProperty("dashboard records").GetInt32()); // two questions, one piece of feedback

        var left = await KeysAsync();
        Assert.DoesNotContain(left, k => k.ToString().Contains(":answer:", StringComparison.Ordinal));
        Assert.Equal(0, await _redis.GetDatabase().ListLengthAsync(new RedisKeys(_prefix).Feedback));
        Assert.DoesNotContain(left, k => k.ToString().EndsWith(":history", StringComparison.Ordinal) || k.ToString().EndsWith(":replies", StringComparison.Ordinal));
        var erasure = await new RedisAuditTrail(_redis, new RedisKeys(_prefix), Options.Create(new RetentionOptions()), TimeProvider.System).ReadAsync(10, default);
        Assert.Contains(erasure, e => e.Action == "erase" && e.Subject == "user tester");
    }

    [Fact]
    public async Task Erase_removes_a_cases_escalations_and_mentions()
    {
        var keys = new RedisKeys(_prefix);
        var store = new RedisEscalationStore(_redis, keys, Options.Create(new RetentionOptions()));
        var escalation = Escalation.Open(await store.NextIdAsync(default), "payouts", Severity.Sev3, "777", "Payout missing", "ann",
            new ThreadAddress(new ConversationRef("slack", "C0AGENTS", "1700000000.2"), new Dictionary<string, string>()), T0);
        await store.SaveAsync(escalation, default);
        var threads = new RedisPastThreads(_redis, keys, Options.Create(new SupportBot.Core.PastThreads.PastThreadsOptions()), TimeProvider.System);
        await threads.SaveAsync(new("ESC-0001", "ESC-0001: payout missing", "Payout for case 777 was held", "payouts", null, DateTimeOffset.UtcNow, SupportBot.Core.PastThreads.PastThreadKind.Escalation), default);
        await threads.SaveAsync(new("ESC-0002", "ESC-0002: payout late", "Bank holiday", "payouts", null, DateTimeOffset.UtcNow, SupportBot.Core.PastThreads.PastThreadKind.Escalation, "778"), default);
        var drafts = new RedisArticleDrafts(_redis, keys);
        await drafts.AddAsync(new(escalation.Id, "Payout missing", "payouts", "Held by risk review.", "escalation", "omar", DateTimeOffset.UtcNow, SupportBot.Core.Articles.DraftStatus.Approved), default);
        await drafts.AddAsync(new("ESC-0990", "Payouts held", "payouts", "As on case 777, a held payout is released after review.", "escalation", "omar", DateTimeOffset.UtcNow), default);
        await drafts.AddAsync(new("ESC-0991", "Payouts late", "payouts", "Case 7770 was a bank holiday.", "escalation", "omar", DateTimeOffset.UtcNow), default);
        await using (var host = await BotHost.StartAsync(Settings()))
        {
            await host.WaitForReplyAsync(await host.SendAsync("What happened with the payout on case 777?"));
        }

        var result = await CliRunner.RunAsync(["erase", "--case", "777", .. Settings().Select(s => "--" + s)]);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("escalations: 1", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("past threads: 1", result.Stdout, StringComparison.Ordinal);
        Assert.Equal(["ESC-0002"], (await threads.ListAsync(default)).Select(t => t.Id));
        Assert.Contains("article drafts: 2", result.Stdout, StringComparison.Ordinal);
        Assert.Equal(["ESC-0991"], (await drafts.ListAsync(default)).Select(d => d.Id));
        Assert.Matches(@"dashboard records: [1-9]", result.Stdout);
        var keys2 = new RedisKeys(_prefix);
        foreach (var list in new[] { keys2.RecentQuestions, keys2.Gaps })
        {
            Assert.DoesNotContain(await _redis.GetDatabase().ListRangeAsync(list), v => v.ToString().Contains("case 777", StringComparison.Ordinal));
        }
        Assert.Null(await store.GetAsync(escalation.Id, default));
        Assert.Empty(await store.FindByCaseAsync("777", default));
        Assert.False(await _redis.GetDatabase().KeyExistsAsync(keys.ThreadEscalation(escalation.Origin.Conversation)));
    }

    [Fact]
    public async Task Erase_without_redis_says_why_and_exits_2()
    {
        var result = await CliRunner.RunAsync("erase", "--case", "777");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Redis:Configuration", result.Stderr, StringComparison.Ordinal);

        var usage = await CliRunner.RunAsync("erase");
        Assert.Equal(2, usage.ExitCode);
    }
}
