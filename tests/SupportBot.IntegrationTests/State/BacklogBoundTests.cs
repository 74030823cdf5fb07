using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using SupportBot.Core.Conversations;
using SupportBot.Core.Queue;
using SupportBot.Host.Endpoints;
using SupportBot.IntegrationTests.Infrastructure;
using SupportBot.Redis;

namespace SupportBot.IntegrationTests.State;

/// <summary>
/// The queue never drops what it acknowledged: at <c>Queue:MaxBacklog</c> new deliveries are refused with 503
/// (the platform retries), readiness says why, and every acknowledged delivery is answered. Real Redis, the real
/// host, and a model stand-in that holds each answer for a while so the backlog builds up.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class BacklogBoundTests(SharedRedis redis) : IAsyncLifetime
{
    private readonly string _prefix = SharedRedis.NewPrefix();
    private OpenAiStandIn _model = null!;
    private ConnectionMultiplexer _redis = null!;

    public async Task InitializeAsync()
    {
        _model = await OpenAiStandIn.StartAsync();
        _redis = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
    }

    public async Task DisposeAsync()
    {
        await _redis.DisposeAsync();
        await _model.DisposeAsync();
    }

    [Fact]
    public async Task Past_the_bound_deliveries_get_503_and_every_acknowledged_one_is_answered()
    {
        // Each answer waits for the model's 1.5 s timeout, one at a time: the backlog fills faster than it drains.
        _model.Default = OpenAiStandIn.Hang;
        await using var host = await BotHost.StartAsync(
            $"Redis:Configuration={redis.Configuration}", $"Redis:KeyPrefix={_prefix}", "Queue:MaxBacklog=3", "Queue:Concurrency=1",
            "Llm:Provider=openai", $"Llm:Endpoint={_model.OpenAiEndpoint}", "Llm:ApiKey=k", "Llm:Model=m", "Llm:Timeout=00:00:01.500");

        var accepted = new List<ChatMessageAccepted>();
        var refused = 0;
        for (var i = 0; i < 6; i++)
        {
            using var response = await host.Client.PostAsJsonAsync("/chat/api/messages", new { text = $"Why is payout {i} delayed?", user = "tester" });
            if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
            {
                refused++;
                Assert.NotNull(response.Headers.RetryAfter);
                continue;
            }

            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            accepted.Add((await response.Content.ReadFromJsonAsync<ChatMessageAccepted>())!);
        }

        Assert.True(refused >= 2, $"expected the bound to refuse, got {refused} refusals");
        Assert.InRange(accepted.Count, 3, 4);
        using (var ready = await host.Client.GetAsync(new Uri("/readyz", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            Assert.Contains("inbound queue full", await ready.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // Nothing acknowledged was dropped: each accepted question gets its (fallback) answer.
        foreach (var sent in accepted)
        {
            await host.WaitForReplyAsync(sent, TimeSpan.FromSeconds(30));
        }

        // Room again: the platform's retry is taken and the stream holds nothing handled.
        var retry = await host.SendAsync("Why is payout 5 delayed?");
        await host.WaitForReplyAsync(retry, TimeSpan.FromSeconds(30));
        await RedisServer.WaitUntilAsync(async () => await _redis.GetDatabase().StreamLengthAsync(new RedisKeys(_prefix).Inbox) == 0, TimeSpan.FromSeconds(10), "handled entries stay in the stream");
    }

    [Fact]
    public async Task One_script_refuses_a_delivery_seen_before_and_a_full_queue_claims_nothing()
    {
        var keys = new RedisKeys(_prefix);
        var db = _redis.GetDatabase();
        using var queue = new RedisInboundQueue(_redis, keys, Options.Create(new QueueOptions { MaxBacklog = 1 }), TimeProvider.System, NullLogger<RedisInboundQueue>.Instance);
        InboundMessage Message(string id) => new(id, new ConversationRef("slack", "C1", "1.1"), "U1", "Ann", "Why is my payout late?", DateTimeOffset.UtcNow);

        Assert.True(await queue.EnqueueOnceAsync(Message("Ev1"), "inbound:slack:Ev1", TimeSpan.FromHours(24), default));
        Assert.False(await queue.EnqueueOnceAsync(Message("Ev1"), "inbound:slack:Ev1", TimeSpan.FromHours(24), default)); // Slack's retry
        await Assert.ThrowsAsync<InboundBacklogFullException>(() => queue.EnqueueOnceAsync(Message("Ev2"), "inbound:slack:Ev2", TimeSpan.FromHours(24), default).AsTask());

        Assert.Equal(1, await db.StreamLengthAsync(keys.Inbox));
        Assert.False(await db.KeyExistsAsync(keys.InboxSeen("inbound:slack:Ev2")), "a refused delivery must not be remembered, or its retry would be dropped");
        var ttl = await db.KeyTimeToLiveAsync(keys.InboxSeen("inbound:slack:Ev1"));
        Assert.InRange(ttl!.Value, TimeSpan.FromHours(23.9), TimeSpan.FromHours(24));
    }

    [Fact]
    public async Task Deliveries_arriving_together_share_script_calls_and_each_keeps_its_own_outcome()
    {
        var keys = new RedisKeys(_prefix);
        var db = _redis.GetDatabase();
        using var queue = new RedisInboundQueue(_redis, keys, Options.Create(new QueueOptions { MaxBacklog = 300 }), TimeProvider.System, NullLogger<RedisInboundQueue>.Instance);
        InboundMessage Message(string id) => new(id, new ConversationRef("slack", "C1", "1.1"), "U1", "Ann", $"Question {id}", DateTimeOffset.UtcNow);

        // 400 distinct deliveries, each sent twice at once (a platform retry racing its original): more than one group.
        var ids = Enumerable.Range(0, 400).Select(i => $"Ev{i}").ToArray();
        var outcomes = await Task.WhenAll(ids.Concat(ids).Select(async id =>
        {
            try
            {
                return (id, outcome: await queue.EnqueueOnceAsync(Message(id), $"inbound:slack:{id}", TimeSpan.FromMinutes(5), default) ? "added" : "duplicate");
            }
            catch (InboundBacklogFullException)
            {
                return (id, outcome: "full");
            }
        }));

        // Exactly the bound was added, each delivery at most once; a refused one claimed nothing; a duplicate only
        // where its twin was added.
        var byId = outcomes.GroupBy(o => o.id).ToDictionary(g => g.Key, g => g.Select(o => o.outcome).Order().ToArray());
        Assert.Equal(300, outcomes.Count(o => o.outcome == "added"));
        Assert.All(byId.Values, pair => Assert.True(pair is ["added", "duplicate"] or ["full", "full"], string.Join(",", pair)));
        Assert.Equal(300, await db.StreamLengthAsync(keys.Inbox));
        foreach (var (id, pair) in byId)
        {
            Assert.Equal(pair[0] == "added", await db.KeyExistsAsync(keys.InboxSeen($"inbound:slack:{id}")));
        }

        var stored = (await db.StreamRangeAsync(keys.Inbox)).Select(e => System.Text.Json.JsonDocument.Parse((string)e["m"]!).RootElement.GetProperty("id").GetString()!).ToHashSet();
        Assert.Equal(byId.Where(p => p.Value[0] == "added").Select(p => p.Key).ToHashSet(), stored);
    }
}
