using System.Net.Http.Json;
using System.Text.Json;
using StackExchange.Redis;
using SupportBot.Core.Conversations;
using SupportBot.Host.Endpoints;
using SupportBot.IntegrationTests.Infrastructure;
using SupportBot.Redis;

namespace SupportBot.IntegrationTests.State;

[Collection(RedisCollection.Name)]
public sealed class RedisStateTests(SharedRedis redis) : IAsyncLifetime
{
    private readonly string _prefix = SharedRedis.NewPrefix();
    private ConnectionMultiplexer _connection = null!;

    public async Task InitializeAsync() => _connection = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);

    public async Task DisposeAsync() => await _connection.DisposeAsync();

    private Task<BotHost> StartHostAsync(params string[] settings) =>
        BotHost.StartAsync([$"Redis:Configuration={redis.Configuration}", $"Redis:KeyPrefix={_prefix}", .. settings]);

    [Fact]
    public async Task Two_replicas_sharing_redis_answer_every_message_exactly_once()
    {
        await using var a = await StartHostAsync();
        await using var b = await StartHostAsync();

        var sent = new List<ChatMessageAccepted>();
        for (var i = 0; i < 12; i++)
        {
            var host = i % 2 == 0 ? a : b;
            sent.Add(await host.SendAsync(i % 3 == 0 ? "How do I respond to a dispute?" : "Why is a payout delayed?"));
        }

        foreach (var message in sent)
        {
            await b.WaitForReplyAsync(message);
        }

        await Task.Delay(500); // Would a second replica answer too? Give it the chance.
        foreach (var message in sent)
        {
            var replies = await a.Client.GetFromJsonAsync<ChatReplies>($"/chat/api/threads/{message.ThreadId}/replies?after=0");
            Assert.Single(replies!.Replies, r => r.InReplyTo == message.MessageId);
        }

        var totals = (await a.Client.GetFromJsonAsync<JsonElement>("/api/dashboard")).GetProperty("totals");
        Assert.Equal(sent.Count, totals.GetProperty("questions").GetInt64());
    }

    [Fact]
    public async Task Thread_history_is_capped_expiring_and_hash_tagged_per_conversation()
    {
        await using var host = await StartHostAsync("Conversation:HistoryLimit=4", "Conversation:HistoryTtl=01:00:00");
        var first = await host.SendAsync("How do refunds reach the cardholder?");
        await host.WaitForReplyAsync(first);
        var second = await host.SendAsync("How long do they take?", first.ThreadId);
        await host.WaitForReplyAsync(second);
        var third = await host.SendAsync("Can a refund fail?", first.ThreadId);
        await host.WaitForReplyAsync(third);

        var key = (RedisKey)$"{_prefix}:{{c:web:local:{first.ThreadId}}}:history";
        var db = _connection.GetDatabase();
        var turns = await db.ListRangeAsync(key);
        Assert.Equal(4, turns.Length);
        Assert.Contains("Can a refund fail?", turns.Select(t => (string)t!).ElementAt(2), StringComparison.Ordinal);
        var ttl = await db.KeyTimeToLiveAsync(key);
        Assert.InRange(ttl!.Value, TimeSpan.FromMinutes(59), TimeSpan.FromHours(1));
    }

    [Fact]
    public async Task A_slack_assistant_threads_context_is_kept_beside_its_history_and_expires_like_it()
    {
        await using var slack = await Slack.SlackApiStandIn.StartAsync();
        await using var host = await StartHostAsync([.. Slack.SlackRequests.Settings(slack, "Slack:AllowedTeams=T0001,T123ABC456"), "Conversation:HistoryTtl=02:00:00"]);
        var key = (RedisKey)$"{_prefix}:{{c:slack:D123ABC456:1729999327.187299}}:context";
        var db = _connection.GetDatabase();

        using (var started = await host.Client.SendAsync(Slack.SlackRequests.Event(Slack.SlackAssistantTests.Fixture("assistant_thread_started.json"))))
        {
            Assert.Equal(System.Net.HttpStatusCode.OK, started.StatusCode);
        }

        Assert.Equal("C123ABC456", (string?)await db.HashGetAsync(key, "assistant.channel"));
        Assert.Equal("1", (string?)await db.HashGetAsync(key, "assistant"));
        Assert.InRange((await db.KeyTimeToLiveAsync(key))!.Value, TimeSpan.FromMinutes(119), TimeSpan.FromHours(2));

        var changed = Slack.SlackAssistantTests.Fixture("assistant_thread_context_changed.json");
        changed["event"]!["assistant_thread"]!["context"]!["channel_id"] = "C0ELSEWHERE";
        using (var response = await host.Client.SendAsync(Slack.SlackRequests.Event(changed)))
        {
            Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Equal("C0ELSEWHERE", (string?)await db.HashGetAsync(key, "assistant.channel"));
        Assert.Equal("1", (string?)await db.HashGetAsync(key, "assistant"));
    }

    [Fact]
    public async Task Card_numbers_never_reach_redis_unmasked()
    {
        await using var host = await StartHostAsync();
        var sent = await host.SendAsync("Customer card 4242 4242 4242 4242 was declined, why?");
        await host.WaitForReplyAsync(sent);

        var server = _connection.GetServer(_connection.GetEndPoints()[0]);
        await foreach (var key in server.KeysAsync(pattern: $"{_prefix}:*"))
        {
            var type = await _connection.GetDatabase().KeyTypeAsync(key);
            var values = type switch
            {
                RedisType.List => (await _connection.GetDatabase().ListRangeAsync(key)).Select(v => (string)v!),
                RedisType.String => [(string)(await _connection.GetDatabase().StringGetAsync(key))!],
                RedisType.Hash => (await _connection.GetDatabase().HashGetAllAsync(key)).Select(e => (string)e.Value!),
                _ => [],
            };
            Assert.All(values, v => Assert.DoesNotContain("4242 4242 4242 4242", v, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task A_message_leased_by_a_dead_worker_is_taken_over_and_answered()
    {
        // A worker of another replica read the entry from the stream and died before answering.
        var keys = new RedisKeys(_prefix);
        var db = _connection.GetDatabase();
        var message = new InboundMessage("orphan-1", new ConversationRef("web", "local", "orphan"), "agent", "agent", "How do instant payouts work?", DateTimeOffset.UtcNow);
        await db.StreamCreateConsumerGroupAsync(keys.Inbox, "workers", "0", createStream: true);
        await db.StreamAddAsync(keys.Inbox, "m", JsonSerializer.Serialize(message, RedisJson.Default.InboundMessage));
        var leased = await db.StreamReadGroupAsync(keys.Inbox, "workers", "dead-worker", StreamPosition.NewMessages, 10);
        Assert.Single(leased);

        await using var host = await StartHostAsync("Queue:LeaseTimeout=00:00:01");
        var reply = await host.WaitForReplyAsync(new ChatMessageAccepted("orphan", "orphan-1"));

        Assert.True(reply.Confident);
        await RedisServer.WaitUntilAsync(async () => (await db.StreamPendingAsync(keys.Inbox, "workers")).PendingMessageCount == 0, TimeSpan.FromSeconds(5), "entry still pending");
    }
}
