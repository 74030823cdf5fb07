using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;
using SupportBot.Core.Conversations;
using SupportBot.Core.Escalations;
using SupportBot.IntegrationTests.Infrastructure;
using SupportBot.Redis;

namespace SupportBot.IntegrationTests.Escalations;

[Collection(RedisCollection.Name)]
public sealed class RedisEscalationStateTests(SharedRedis redis) : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.Parse("2026-11-25T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
    private readonly RedisKeys _keys = new(SharedRedis.NewPrefix());
    private ConnectionMultiplexer _a = null!;
    private ConnectionMultiplexer _b = null!;

    public async Task InitializeAsync()
    {
        _a = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
        _b = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
    }

    public async Task DisposeAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
    }

    private static Escalation New(string id, string? caseId) => Escalation.Open(
        id, "disputes", Severity.Sev2, caseId, "Evidence deadline", "ann",
        new ThreadAddress(new ConversationRef("slack", "C0AGENTS", "1700000000.1"), new Dictionary<string, string> { ["ts"] = "1700000000.1" }), T0);

    [Fact]
    public async Task An_escalation_is_found_by_id_by_either_thread_and_by_case()
    {
        var store = new RedisEscalationStore(_a, _keys, Microsoft.Extensions.Options.Options.Create(new SupportBot.Core.State.RetentionOptions()));
        var id = await store.NextIdAsync(default);
        var target = new ThreadAddress(new ConversationRef("teams", "19:risk@thread.tacv2", "1732530000000"), new Dictionary<string, string> { ["serviceUrl"] = "https://smba.example/emea/" });
        var escalation = New(id, "12346").Acknowledge("priya", T0.AddMinutes(3))! with { Target = target };

        await store.SaveAsync(escalation, default);

        var other = new RedisEscalationStore(_b, _keys, Microsoft.Extensions.Options.Options.Create(new SupportBot.Core.State.RetentionOptions()));
        var byId = await other.GetAsync(id, default);
        Assert.Equal(EscalationStatus.Acknowledged, byId!.Status);
        Assert.Equal("https://smba.example/emea/", byId.Target!.SurfaceData["serviceUrl"]);
        Assert.Equal(2, byId.History.Count);
        Assert.Equal(id, (await other.FindByThreadAsync(escalation.Origin.Conversation, default))!.Id);
        Assert.Equal(id, (await other.FindByThreadAsync(target.Conversation, default))!.Id);
        Assert.Equal(id, Assert.Single(await other.FindByCaseAsync("12346", default)).Id);
        Assert.NotEqual(id, await other.NextIdAsync(default));
    }

    [Fact]
    public async Task Each_due_timer_goes_to_exactly_one_of_two_replicas()
    {
        var replicaA = new RedisSlaTimers(_a, _keys);
        var replicaB = new RedisSlaTimers(_b, _keys);
        for (var i = 0; i < 40; i++)
        {
            await replicaA.ScheduleAsync(new SlaTimer($"ESC-{i}", SlaTimerKind.AcknowledgeReminder, T0.AddSeconds(i), T0), default);
        }

        await replicaA.ScheduleAsync(new SlaTimer("ESC-later", SlaTimerKind.ResolveBreach, T0.AddHours(1), T0), default);

        var takenA = new List<SlaTimer>();
        var takenB = new List<SlaTimer>();
        await Task.WhenAll(
            Task.Run(async () => { for (var k = 0; k < 10; k++) { takenA.AddRange(await replicaA.TakeDueAsync(T0.AddMinutes(1), 8, default)); } }),
            Task.Run(async () => { for (var k = 0; k < 10; k++) { takenB.AddRange(await replicaB.TakeDueAsync(T0.AddMinutes(1), 8, default)); } }));

        var all = takenA.Concat(takenB).Select(t => t.EscalationId).ToList();
        Assert.Equal(40, all.Count);
        Assert.Equal(40, all.Distinct().Count());
        Assert.DoesNotContain("ESC-later", all);
        Assert.Empty(await replicaB.TakeDueAsync(T0.AddMinutes(1), 100, default));
        Assert.Single(await replicaB.TakeDueAsync(T0.AddHours(2), 100, default));
    }

    [Fact]
    public async Task A_case_lookup_lists_its_escalations()
    {
        await using var host = await BotHost.StartAsync($"Redis:Configuration={redis.Configuration}", $"Redis:KeyPrefix={SharedRedis.NewPrefix()}");
        var store = host.Services.GetRequiredService<IEscalationStore>();
        var id = await store.NextIdAsync(default);
        await store.SaveAsync(New(id, "12345"), default);

        var reply = await host.WaitForReplyAsync(await host.SendAsync("case 12345"));

        Assert.Contains($"Escalations: {id} (disputes, sev2, open)", reply.Text, StringComparison.Ordinal);
    }
}
