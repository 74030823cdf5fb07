using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using SupportBot.Core.Conversations;
using SupportBot.Core.Queue;
using SupportBot.Host.Endpoints;
using SupportBot.IntegrationTests.Infrastructure;
using SupportBot.IntegrationTests.Slack;
using SupportBot.Redis;
using SupportBot.Slack.Events;

namespace SupportBot.IntegrationTests.State;

/// <summary>
/// What a replica leaves behind when it dies or shuts down, and how another one takes over: within the lease,
/// never answering twice (the reply outbox), never handing over work that is still in hand (lease renewal).
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class CrashRecoveryTests(SharedRedis redis) : IAsyncLifetime
{
    private const string Thread = "1700000000.000001";
    private readonly string _prefix = SharedRedis.NewPrefix();
    private ConnectionMultiplexer _connection = null!;
    private SlackApiStandIn _slack = null!;
    private OpenAiStandIn _model = null!;

    public async Task InitializeAsync()
    {
        _connection = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
        _slack = await SlackApiStandIn.StartAsync();
        _slack.KeepPostsInThreads = true;
        _model = await OpenAiStandIn.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _model.DisposeAsync();
        await _slack.DisposeAsync();
        await _connection.DisposeAsync();
    }

    private RedisKeys Keys => new(_prefix);

    /// <summary>Host settings for a model that answers <see cref="StreamingModel.Content"/> after <paramref name="delay"/>.</summary>
    private string[] SlowModel(TimeSpan delay)
    {
        _model.Default = OpenAiStandIn.After(delay, OpenAiStandIn.Answer(StreamingModel.Content));
        return ["Llm:Provider=openai", $"Llm:Endpoint={_model.OpenAiEndpoint}", "Llm:ApiKey=k", "Llm:Model=m"];
    }

    private string[] Redis(params string[] more) => [$"Redis:Configuration={redis.Configuration}", $"Redis:KeyPrefix={_prefix}", .. more];

    private Task<BotHost> StartSlackHostAsync(params string[] more) => BotHost.StartAsync(SlackRequests.Settings(_slack, Redis(more)));

    /// <summary>A Slack question as the gateway queues it: event <paramref name="eventId"/>, a reply in <see cref="Thread"/>.</summary>
    private static InboundMessage SlackQuestion(string eventId) => new(
        eventId,
        new ConversationRef(SlackEventReader.SurfaceName, SlackRequests.Channel, Thread),
        "UAGENT01",
        "UAGENT01",
        "How do I respond to a dispute?",
        DateTimeOffset.UtcNow,
        SurfaceData: SurfaceKeys.Of("1700000000.000200", SlackRequests.Channel, "T0001"),
        Tenant: "T0001",
        Scope: ConversationScope.Channel);

    /// <summary>The queue as a replica that read <paramref name="message"/> and died leaves it: leased to a consumer that is gone.</summary>
    private async Task LeaveLeasedByADeadWorkerAsync(InboundMessage message)
    {
        var db = _connection.GetDatabase();
        await db.StreamCreateConsumerGroupAsync(Keys.Inbox, "workers", "0", createStream: true);
        await db.StreamAddAsync(Keys.Inbox, "m", JsonSerializer.Serialize(message, RedisJson.Default.InboundMessage));
        Assert.Single(await db.StreamReadGroupAsync(Keys.Inbox, "workers", "dead-worker", StreamPosition.NewMessages, 10));
    }

    private Task WaitUntilQueueIsEmptyAsync() => RedisServer.WaitUntilAsync(
        async () => await _connection.GetDatabase().StreamLengthAsync(Keys.Inbox) == 0, TimeSpan.FromSeconds(20), "the message was never completed");

    private IReadOnlyList<SlackCall> PostsInThread() =>
        [.. _slack.CallsTo("chat.postMessage").Where(c => c.Field("thread_ts") == Thread)];

    [Fact]
    public async Task A_reply_posted_just_before_a_crash_is_found_by_its_mark_and_not_posted_again()
    {
        // The dead replica recorded its intent, posted the reply (carrying its mark in the message metadata)
        // and died before recording the posted id.
        var message = SlackQuestion("EvCRASH1");
        await LeaveLeasedByADeadWorkerAsync(message);
        await _connection.GetDatabase().HashSetAsync(Keys.Outbox("slack:EvCRASH1"), "0", "-");
        _slack.Threads[$"{SlackRequests.Channel}:{Thread}"] =
        [
            new() { ["type"] = "message", ["ts"] = Thread, ["user"] = "UAGENT01", ["text"] = "a question" },
            new() { ["type"] = "message", ["ts"] = "1700000000.000300", ["bot_id"] = SlackApiStandIn.BotId, ["text"] = "the answer", ["metadata"] = new System.Text.Json.Nodes.JsonObject { ["event_type"] = "supportbot_reply", ["event_payload"] = new System.Text.Json.Nodes.JsonObject { ["mark"] = "EvCRASH1#0" } } },
        ];

        await using var host = await StartSlackHostAsync("Queue:LeaseTimeout=00:00:01");
        await WaitUntilQueueIsEmptyAsync();

        Assert.Empty(PostsInThread());
        var lookup = Assert.Single(_slack.CallsTo("conversations.replies"), c => c.Field("include_all_metadata") == "true");
        Assert.Equal(Thread, lookup.Field("ts"));
        Assert.False(await _connection.GetDatabase().KeyExistsAsync(Keys.Outbox("slack:EvCRASH1")), "the outbox of a message done is forgotten");
    }

    [Fact]
    public async Task A_reply_intended_but_never_posted_is_posted_once_carrying_its_mark()
    {
        // The dead replica recorded its intent and died before Slack took the reply.
        var message = SlackQuestion("EvCRASH2");
        await LeaveLeasedByADeadWorkerAsync(message);
        await _connection.GetDatabase().HashSetAsync(Keys.Outbox("slack:EvCRASH2"), "0", "-");
        _slack.Threads[$"{SlackRequests.Channel}:{Thread}"] = [new() { ["type"] = "message", ["ts"] = Thread, ["user"] = "UAGENT01", ["text"] = "a question" }];

        await using var host = await StartSlackHostAsync("Queue:LeaseTimeout=00:00:01");
        await WaitUntilQueueIsEmptyAsync();

        var post = Assert.Single(PostsInThread());
        var metadata = post.Json.GetProperty("metadata");
        Assert.Equal("supportbot_reply", metadata.GetProperty("event_type").GetString());
        Assert.Equal("EvCRASH2#0", metadata.GetProperty("event_payload").GetProperty("mark").GetString());
        Assert.False(await _connection.GetDatabase().KeyExistsAsync(Keys.Outbox("slack:EvCRASH2")), "the outbox of a message done is forgotten");
    }

    [Fact]
    public async Task A_reply_whose_id_was_recorded_is_neither_looked_for_nor_posted_again()
    {
        var message = SlackQuestion("EvCRASH3");
        await LeaveLeasedByADeadWorkerAsync(message);
        await _connection.GetDatabase().HashSetAsync(Keys.Outbox("slack:EvCRASH3"), "0", $"{SlackRequests.Channel}\n1700000000.000400");

        await using var host = await StartSlackHostAsync("Queue:LeaseTimeout=00:00:01");
        await WaitUntilQueueIsEmptyAsync();

        Assert.Empty(PostsInThread());
        Assert.Empty(_slack.CallsTo("conversations.replies"));
    }

    [Fact]
    public async Task A_natively_streamed_reply_is_recorded_when_its_stream_starts()
    {
        await using var host = await StartSlackHostAsync(StreamingModel.Settings(_model));
        using (var response = await host.Client.SendAsync(SlackRequests.Event(SlackRequests.Envelope(SlackRequests.Mention(StreamingModel.Question, Thread), "EvSTREAM1"))))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        // While the model is still writing (about 3 s), the outbox already names the streamed message.
        var start = (await _slack.WaitForAsync("chat.startStream", c => c.Field("thread_ts") == Thread)).Single();
        var ts = start.Answer!["ts"]!.GetValue<string>();
        await RedisServer.WaitUntilAsync(
            async () => await _connection.GetDatabase().HashGetAsync(Keys.Outbox("slack:EvSTREAM1"), "0") == $"{SlackRequests.Channel}\n{ts}",
            TimeSpan.FromSeconds(2), "the stream's ts was not recorded while it streamed");
        Assert.Empty(_slack.CallsTo("chat.stopStream"));

        await _slack.WaitForAsync("chat.stopStream", c => c.Field("ts") == ts);
        Assert.Equal("EvSTREAM1#0", _slack.CallsTo("chat.stopStream").Single().Json.GetProperty("metadata").GetProperty("event_payload").GetProperty("mark").GetString());
        Assert.Empty(PostsInThread());
    }

    [Fact]
    public async Task A_streamed_reply_taken_over_after_a_crash_is_finished_by_editing_it_in_place()
    {
        // The dead replica started a stream (its ts recorded) and died while the model was writing.
        var message = SlackQuestion("EvCRASH4");
        await LeaveLeasedByADeadWorkerAsync(message);
        await _connection.GetDatabase().HashSetAsync(Keys.Outbox("slack:EvCRASH4"), "0", $"{SlackRequests.Channel}\n1700000000.000450");

        await using var host = await StartSlackHostAsync(["Queue:LeaseTimeout=00:00:01", .. StreamingModel.Settings(_model)]);
        await WaitUntilQueueIsEmptyAsync();

        // No second stream and no second message: the recorded one gets the whole answer, sources and buttons.
        Assert.Empty(_slack.CallsTo("chat.startStream"));
        Assert.Empty(PostsInThread());
        var final = _slack.CallsTo("chat.update").Last(c => c.Field("ts") == "1700000000.000450");
        Assert.StartsWith(StreamingModel.Content, final.Field("text"), StringComparison.Ordinal);
        Assert.True(final.Json.TryGetProperty("blocks", out _));
    }

    [Fact]
    public async Task A_first_answer_is_posted_with_its_mark_and_its_outbox_forgotten_once_done()
    {
        await using var host = await StartSlackHostAsync();
        var envelope = new System.Text.Json.Nodes.JsonObject
        {
            ["type"] = "event_callback",
            ["team_id"] = "T0001",
            ["event_id"] = "EvFIRST1",
            ["event_time"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["event"] = new System.Text.Json.Nodes.JsonObject
            {
                ["type"] = "app_mention", ["user"] = "UAGENT01", ["text"] = "<@UBOT0001> How do I respond to a dispute?",
                ["ts"] = Thread, ["channel"] = SlackRequests.Channel, ["channel_type"] = "channel",
            },
        };
        using var response = await host.Client.SendAsync(SlackRequests.Event(envelope));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var post = (await _slack.WaitForAsync("chat.postMessage", c => c.Field("thread_ts") == Thread)).Single();
        Assert.Equal("EvFIRST1#0", post.Json.GetProperty("metadata").GetProperty("event_payload").GetProperty("mark").GetString());
        await WaitUntilQueueIsEmptyAsync();
        Assert.False(await _connection.GetDatabase().KeyExistsAsync(Keys.Outbox("slack:EvFIRST1")), "the outbox of a message done is forgotten");
        Assert.Empty(_slack.CallsTo("conversations.replies"));
    }

    [Fact]
    public async Task The_redis_outbox_keeps_intent_then_place_per_reply_expires_and_is_forgotten()
    {
        var outbox = new RedisReplyOutbox(_connection, Keys);

        Assert.Null(await outbox.BeginAsync("slack:EvBOX1", 0, default));
        Assert.Equal(new SupportBot.Core.State.OutboxEntry(null), await outbox.BeginAsync("slack:EvBOX1", 0, default));
        await outbox.RecordPostedAsync("slack:EvBOX1", 0, new SupportBot.Core.Surfaces.PostedReply("C1", "1700000000.000500"), default);
        Assert.Null(await outbox.BeginAsync("slack:EvBOX1", 1, default));

        Assert.Equal(new SupportBot.Core.Surfaces.PostedReply("C1", "1700000000.000500"), (await outbox.BeginAsync("slack:EvBOX1", 0, default))!.Posted);
        var ttl = await _connection.GetDatabase().KeyTimeToLiveAsync(Keys.Outbox("slack:EvBOX1"));
        Assert.InRange(ttl!.Value, TimeSpan.FromMinutes(59), TimeSpan.FromHours(1));
        await outbox.ForgetAsync("slack:EvBOX1", default);
        Assert.False(await _connection.GetDatabase().KeyExistsAsync(Keys.Outbox("slack:EvBOX1")));
    }

    [Fact]
    public async Task A_slow_answer_keeps_its_lease_and_is_answered_once_by_two_replicas()
    {
        // A one-second lease, a model answer of three seconds: without renewal the other replica would take it over.
        var model = SlowModel(TimeSpan.FromSeconds(3));
        await using var a = await BotHost.StartAsync(Redis(["Queue:LeaseTimeout=00:00:01", .. model]));
        await using var b = await BotHost.StartAsync(Redis(["Queue:LeaseTimeout=00:00:01", .. model]));

        var sent = await a.SendAsync(StreamingModel.Question);
        await b.WaitForReplyAsync(sent, TimeSpan.FromSeconds(30));
        await Task.Delay(TimeSpan.FromSeconds(2)); // a takeover would answer again by now

        var replies = await a.Client.GetFromJsonAsync<ChatReplies>($"/chat/api/threads/{sent.ThreadId}/replies?after=0");
        Assert.Single(replies!.Replies, r => r.InReplyTo == sent.MessageId);
        Assert.Single(_model.Requests, r => r.Prompt.Contains(StreamingModel.Question, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_replica_asked_to_stop_turns_unready_and_finishes_what_it_holds()
    {
        await using var a = await BotHost.StartAsync(Redis(["shutdownTimeoutSeconds=20", .. SlowModel(TimeSpan.FromSeconds(3))]));
        var sent = await a.SendAsync(StreamingModel.Question);
        await RedisServer.WaitUntilAsync(() => Task.FromResult(!_model.Requests.IsEmpty), TimeSpan.FromSeconds(10), "the model was never asked");

        var stopping = a.StopAsync();
        var said = string.Empty;
        await RedisServer.WaitUntilAsync(async () =>
        {
            using var readiness = await a.Client.GetAsync(new Uri("/readyz", UriKind.Relative));
            said = await readiness.Content.ReadAsStringAsync();
            return readiness.StatusCode == HttpStatusCode.ServiceUnavailable;
        }, TimeSpan.FromSeconds(2), "readiness stayed true after the stop began");
        Assert.Contains("shutting down", said, StringComparison.Ordinal);
        Assert.False(stopping.IsCompleted, "stopped before the answer in hand was finished");
        await stopping;

        // The answer went out before the replica stopped, and nothing is left in the queue.
        await using var b = await BotHost.StartAsync(Redis());
        var replies = await b.Client.GetFromJsonAsync<ChatReplies>($"/chat/api/threads/{sent.ThreadId}/replies?after=0");
        Assert.Single(replies!.Replies, r => r.InReplyTo == sent.MessageId);
        Assert.Equal(0, await _connection.GetDatabase().StreamLengthAsync(Keys.Inbox));
    }

    [Fact]
    public async Task A_replica_that_cannot_finish_in_time_hands_its_work_back_for_another_at_once()
    {
        // The model never answers A; the shutdown timeout is one second; B's lease is the default 20 s, so only a
        // hand-back lets B answer within a few seconds.
        _model.Default = OpenAiStandIn.Hang;
        var llm = new[] { "Llm:Provider=openai", $"Llm:Endpoint={_model.OpenAiEndpoint}", "Llm:ApiKey=k", "Llm:Model=m" };
        await using var a = await BotHost.StartAsync(Redis(["shutdownTimeoutSeconds=1", .. llm]));
        var sent = await a.SendAsync(StreamingModel.Question);
        await RedisServer.WaitUntilAsync(() => Task.FromResult(!_model.Requests.IsEmpty), TimeSpan.FromSeconds(10), "the model was never asked");

        await a.StopAsync();
        var pending = await _connection.GetDatabase().StreamPendingMessagesAsync(Keys.Inbox, "workers", 10, RedisValue.Null);
        Assert.Equal("handed-back", (string?)Assert.Single(pending).ConsumerName);

        _model.Default = OpenAiStandIn.Answer(StreamingModel.Content);
        var started = DateTimeOffset.UtcNow;
        await using var b = await BotHost.StartAsync(Redis(llm));
        var reply = await b.WaitForReplyAsync(sent, TimeSpan.FromSeconds(15));
        Assert.True(DateTimeOffset.UtcNow - started < TimeSpan.FromSeconds(15));
        Assert.Contains("Respond to a dispute", reply.Text, StringComparison.Ordinal);
        var replies = await b.Client.GetFromJsonAsync<ChatReplies>($"/chat/api/threads/{sent.ThreadId}/replies?after=0");
        Assert.Single(replies!.Replies, r => r.InReplyTo == sent.MessageId);
    }

    [Fact]
    public async Task Consumers_of_replicas_gone_are_forgotten_once_idle_unless_they_hold_work()
    {
        var message = SlackQuestion("Ev-forget");
        await LeaveLeasedByADeadWorkerAsync(message); // "dead-worker" holds an entry
        var db = _connection.GetDatabase();
        async Task ReadAndCompleteAsync(string consumer)
        {
            await db.StreamAddAsync(Keys.Inbox, "m", "{}");
            var read = Assert.Single(await db.StreamReadGroupAsync(Keys.Inbox, "workers", consumer, StreamPosition.NewMessages, 10));
            await db.StreamAcknowledgeAsync(Keys.Inbox, "workers", read.Id);
        }

        await ReadAndCompleteAsync("gone-replica"); // handled its work, then went away
        await Task.Delay(300);
        await ReadAndCompleteAsync("live-replica"); // holds nothing, but just read

        using var queue = new RedisInboundQueue(_connection, Keys, Options.Create(new QueueOptions()), TimeProvider.System, NullLogger<RedisInboundQueue>.Instance);
        Assert.Equal(1, await queue.TryForgetIdleConsumersAsync(TimeSpan.FromMilliseconds(200)));

        var names = (await db.StreamConsumerInfoAsync(Keys.Inbox, "workers")).Select(c => c.Name).ToHashSet();
        Assert.Equal(new HashSet<string> { "dead-worker", "live-replica" }, names);
        Assert.Single(await db.StreamPendingMessagesAsync(Keys.Inbox, "workers", 10, "dead-worker")); // its work is still there to take over
    }
}
