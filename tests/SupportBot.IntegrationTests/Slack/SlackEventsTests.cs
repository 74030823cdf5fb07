using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using SupportBot.IntegrationTests.Infrastructure;
using static SupportBot.IntegrationTests.Slack.SlackRequests;

namespace SupportBot.IntegrationTests.Slack;

/// <summary>The real host with Slack enabled, the Web API at a local stand-in, events signed like Slack's.</summary>
[Collection(RedisCollection.Name)]
public sealed class SlackEventsTests(SharedRedis redis) : SlackHostTests
{
    private Task<IReadOnlyList<SlackCall>> RepliesInThreadAsync(string threadTs, int count = 1) =>
        Api.WaitForAsync("chat.postMessage", c => c.Field("thread_ts") == threadTs, count);

    [Fact]
    public async Task Url_verification_echoes_the_challenge()
    {
        var body = new JsonObject { ["token"] = "legacy", ["challenge"] = "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P", ["type"] = "url_verification" };
        var response = await SendAsync(Event(body));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/slack/events")]
    [InlineData("/slack/commands")]
    [InlineData("/slack/interactions")]
    public async Task Every_route_refuses_unsigned_requests(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent("{\"type\":\"url_verification\",\"challenge\":\"x\"}", Encoding.UTF8, "application/json") };
        var response = await Bot.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_signature_made_with_another_secret_is_refused()
    {
        var response = await SendAsync(SignedRequest("/slack/events", "{\"type\":\"url_verification\",\"challenge\":\"x\"}", "application/json", secret: "not-the-secret"));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_replayed_request_older_than_five_minutes_is_refused()
    {
        var response = await SendAsync(SignedRequest("/slack/events", "{\"type\":\"url_verification\",\"challenge\":\"x\"}", "application/json", DateTimeOffset.UtcNow.AddMinutes(-6)));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("{\"type\":")]
    [InlineData("[1,2]")]
    public async Task Malformed_json_is_a_bad_request(string body)
    {
        var response = await SendAsync(SignedRequest("/slack/events", body, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task A_body_over_one_megabyte_is_refused_with_413()
    {
        var big = "{\"type\":\"event_callback\",\"pad\":\"" + new string('a', 1024 * 1024) + "\"}";
        var request = SignedRequest("/slack/events", big, "application/json");

        // The host answers 413 from the Content-Length alone and may close before the client has written the
        // body (a broken pipe on the client); waiting for "100 Continue" lets the answer arrive first.
        request.Headers.ExpectContinue = true;
        var response = await SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task A_chunked_body_without_a_content_length_is_verified_and_answered()
    {
        var request = SignedRequest("/slack/events", "{\"type\":\"url_verification\",\"challenge\":\"chunked-challenge\"}", "application/json");
        request.Content = Chunked(await request.Content!.ReadAsByteArrayAsync(), "application/json");
        var response = await SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("chunked-challenge", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_chunked_body_over_one_megabyte_is_refused_with_413()
    {
        var big = "{\"type\":\"event_callback\",\"pad\":\"" + new string('a', 1024 * 1024) + "\"}";
        var request = SignedRequest("/slack/events", big, "application/json");
        request.Content = Chunked(await request.Content!.ReadAsByteArrayAsync(), "application/json");
        var response = await SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task A_signed_empty_body_is_a_bad_request()
    {
        var response = await SendAsync(SignedRequest("/slack/events", string.Empty, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Bodies_of_every_size_in_turn_are_each_verified_on_their_own_bytes()
    {
        // Request buffers are pooled: a shorter body after a longer one must not be read with the longer one's tail.
        foreach (var length in new[] { 3000, 40, 700, 41, 5000, 2 })
        {
            var challenge = new string('c', length);
            var response = await SendAsync(SignedRequest("/slack/events", "{\"type\":\"url_verification\",\"challenge\":\"" + challenge + "\"}", "application/json"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(challenge, await response.Content.ReadAsStringAsync());
        }
    }

    /// <summary>Content with no length: HttpClient sends it with <c>Transfer-Encoding: chunked</c>.</summary>
    private static StreamContent Chunked(byte[] bytes, string contentType)
    {
        var content = new StreamContent(new UnseekableStream(bytes));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        return content;
    }

    private sealed class UnseekableStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }

    [Fact]
    public async Task A_mention_is_answered_in_its_thread_with_blocks_and_gets_a_working_reaction()
    {
        var ts = NextTs();
        var response = await SendAsync(Event(Envelope(Mention("How do I respond to a dispute?", ts))));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var post = (await RepliesInThreadAsync(ts)).Single();
        Assert.Equal("Bearer " + BotToken, post.Authorization);
        Assert.StartsWith("application/json", post.ContentType, StringComparison.Ordinal);
        Assert.Equal(Channel, post.Field("channel"));
        Assert.Contains("dispute", post.Field("text")!, StringComparison.OrdinalIgnoreCase);
        var blocks = post.Json.GetProperty("blocks").EnumerateArray().ToList();
        Assert.InRange(blocks.Count, 2, 50);
        var buttons = blocks.Single(b => b.GetProperty("type").GetString() == "actions").GetProperty("elements").EnumerateArray()
            .Select(e => e.GetProperty("action_id").GetString()).ToList();
        Assert.Equal(["feedback.helpful", "feedback.not_helpful", "draft.reply", "escalate"], buttons);

        // The reaction is started before the answer but not waited for (it must never delay it), so under load it can
        // reach Slack after the answer: it is sent once, its order is not promised.
        var reaction = Assert.Single(await Api.WaitForAsync("reactions.add", c => c.Field("timestamp") == ts));
        Assert.Equal("eyes", reaction.Field("name"));
    }

    [Fact]
    public async Task A_rate_limited_reaction_is_skipped_not_retried_and_the_answer_does_not_wait_for_it()
    {
        // Slack answers reactions.add with 429 and Retry-After: 30; the answer must neither wait nor retry.
        Api.ScriptRateLimit("reactions.add", 30);
        var ts = NextTs();
        var started = DateTimeOffset.UtcNow;
        await SendAsync(Event(Envelope(Mention("How do I respond to a dispute?", ts))));

        var post = (await RepliesInThreadAsync(ts)).Single();
        Assert.True(post.At - started < TimeSpan.FromSeconds(2), $"the answer took {post.At - started}");
        await Task.Delay(500);
        Assert.Single(Api.CallsTo("reactions.add"), c => c.Field("timestamp") == ts);
    }

    [Fact]
    public async Task The_question_reaches_the_pipeline_without_the_bots_mention()
    {
        var ts = NextTs();
        await SendAsync(Event(Envelope(Mention("help", ts))));
        var post = (await RepliesInThreadAsync(ts)).Single();
        // "help" alone (mention stripped) is the help intent, not a search for "<@UBOT…> help".
        Assert.Contains("knowledge base", post.Field("text")!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_direct_message_is_answered()
    {
        var ts = NextTs();
        await SendAsync(Event(Envelope(Message("Why is a payout delayed?", ts, channelType: "im", channel: "D0DIRECT"))));
        var post = (await Api.WaitForAsync("chat.postMessage", c => c.Field("channel") == "D0DIRECT" && c.Field("thread_ts") == ts)).Single();
        Assert.Contains("payout", post.Field("text")!, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Slack_retries_of_one_event_are_answered_once()
    {
        var ts = NextTs();
        var envelope = Envelope(Mention("How do refunds reach the cardholder?", ts));
        var first = await SendAsync(Event(envelope));
        var retry = Event(envelope);
        retry.Headers.Add("X-Slack-Retry-Num", "1");
        retry.Headers.Add("X-Slack-Retry-Reason", "http_timeout");
        var second = await SendAsync(retry);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);

        await RepliesInThreadAsync(ts);
        await AnswerMarkerAsync();
        Assert.Single(Api.CallsTo("chat.postMessage"), c => c.Field("thread_ts") == ts);
    }

    [Fact]
    public async Task Own_messages_other_bots_edits_deletions_and_joins_are_not_answered()
    {
        var ignoredTs = new List<string>();
        JsonObject Ignored(JsonObject ev)
        {
            ignoredTs.Add(ev["ts"]!.GetValue<string>());
            return Envelope(ev);
        }

        var own = Message("Here is what I found", NextTs(), channelType: "im", channel: "D0DIRECT", user: SlackApiStandIn.BotUserId);
        var otherBot = Message("beep", NextTs(), channelType: "im", channel: "D0DIRECT", user: "UOTHERBOT");
        otherBot["bot_id"] = "BOTHER";
        var edit = Message("edited", NextTs(), channelType: "im", channel: "D0DIRECT");
        edit["subtype"] = "message_changed";
        var deletion = Message("", NextTs(), channelType: "im", channel: "D0DIRECT");
        deletion["subtype"] = "message_deleted";
        var join = Message("<@UAGENT01> has joined the channel", NextTs());
        join["subtype"] = "channel_join";
        var mentionAsMessage = Message($"<@{SlackApiStandIn.BotUserId}> How do I respond to a dispute?", NextTs());
        var unthreaded = Message("How do I respond to a dispute?", NextTs());

        foreach (var ev in new[] { own, otherBot, edit, deletion, join, mentionAsMessage, unthreaded })
        {
            Assert.Equal(HttpStatusCode.OK, (await SendAsync(Event(Ignored(ev)))).StatusCode);
        }

        await AnswerMarkerAsync();
        Assert.DoesNotContain(Api.CallsTo("chat.postMessage"), c => ignoredTs.Contains(c.Field("thread_ts")!));
        Assert.DoesNotContain(Api.CallsTo("reactions.add"), c => ignoredTs.Contains(c.Field("timestamp")!));
    }

    [Fact]
    public async Task A_reply_in_a_thread_the_bot_answered_is_answered_without_a_mention()
    {
        var root = NextTs();
        await SendAsync(Event(Envelope(Mention("How do I respond to a dispute?", root))));
        await RepliesInThreadAsync(root);

        await SendAsync(Event(Envelope(Message("What evidence should I attach?", NextTs(), threadTs: root))));
        var posts = await RepliesInThreadAsync(root, 2);
        Assert.Contains("evidence", posts[1].Field("text")!, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Api.CallsTo("conversations.replies"), c => c.Field("ts") == root);
    }

    [Fact]
    public async Task A_follow_up_sent_while_the_answer_is_on_its_way_is_answered_after_it()
    {
        // The answer's post is held back 2 s by a 429: the question is in the store, its answer not yet.
        Api.ScriptRateLimit("chat.postMessage", retryAfterSeconds: 2);
        var root = NextTs();
        await SendAsync(Event(Envelope(Mention("How do I respond to a dispute?", root))));
        await RepliesInThreadAsync(root); // the refused first attempt

        await SendAsync(Event(Envelope(Message("What evidence should I attach?", NextTs(), threadTs: root))));

        var posts = await RepliesInThreadAsync(root, 3);
        Assert.Contains("dispute", posts[1].Field("text")!, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("evidence", posts[2].Field("text")!, StringComparison.OrdinalIgnoreCase);
        Assert.True(posts[2].At > posts[1].At);
        Assert.DoesNotContain(Api.CallsTo("conversations.replies"), c => c.Field("ts") == root); // the store knew the thread
    }

    [Fact]
    public async Task A_follow_up_to_a_question_still_in_the_queue_waits_for_its_answer()
    {
        // One worker slot, held 2 s by a question whose post is rate-limited: the thread's question waits in the queue.
        await using var bot = await BotHost.StartAsync(SlackRequests.Settings(Api, "Queue:Concurrency=1"));
        Api.ScriptRateLimit("chat.postMessage", retryAfterSeconds: 2);
        var blocker = NextTs();
        await SendAsync(Event(Envelope(Mention("How do chargebacks work?", blocker))), bot);
        await RepliesInThreadAsync(blocker);

        var root = NextTs();
        var followUp = NextTs();
        Api.Threads[$"{Channel}:{root}"] =
        [
            new JsonObject { ["ts"] = root, ["user"] = "UAGENT01", ["text"] = $"<@{SlackApiStandIn.BotUserId}> How do I respond to a dispute?" },
            new JsonObject { ["ts"] = followUp, ["user"] = "UAGENT01", ["text"] = "What evidence should I attach?" },
        ];
        await SendAsync(Event(Envelope(Mention("How do I respond to a dispute?", root))), bot);
        await SendAsync(Event(Envelope(Message("What evidence should I attach?", followUp, threadTs: root))), bot);

        var posts = await RepliesInThreadAsync(root, 2);
        Assert.Contains("dispute", posts[0].Field("text")!, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("evidence", posts[1].Field("text")!, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(Api.CallsTo("conversations.replies"), c => c.Field("ts") == root); // asked there, not yet answered
    }

    [Fact]
    public async Task A_thread_known_only_to_slack_is_read_with_conversations_replies()
    {
        var root = NextTs();
        var botReply = NextTs();
        var agentReply = NextTs();
        var followUp = NextTs();
        Api.Threads[$"{Channel}:{root}"] =
        [
            new JsonObject { ["ts"] = root, ["user"] = "UAGENT01", ["text"] = $"<@{SlackApiStandIn.BotUserId}> How do I respond to a dispute?" },
            new JsonObject { ["ts"] = botReply, ["user"] = SlackApiStandIn.BotUserId, ["bot_id"] = SlackApiStandIn.BotId, ["text"] = "Respond with evidence before the deadline [1]." },
            new JsonObject { ["ts"] = agentReply, ["user"] = "UAGENT02", ["text"] = "thanks" },
            new JsonObject { ["ts"] = followUp, ["user"] = "UAGENT01", ["text"] = "What evidence should I attach?" },
        ];
        var unrelatedRoot = NextTs();
        Api.Threads[$"{Channel}:{unrelatedRoot}"] = [new JsonObject { ["ts"] = unrelatedRoot, ["user"] = "UAGENT02", ["text"] = "lunch?" }];

        await SendAsync(Event(Envelope(Message("anyone?", NextTs(), threadTs: unrelatedRoot))));
        await SendAsync(Event(Envelope(Message("What evidence should I attach?", followUp, threadTs: root))));

        var post = (await RepliesInThreadAsync(root)).Single();
        Assert.Contains("evidence", post.Field("text")!, StringComparison.OrdinalIgnoreCase);
        // Two pages of two messages: the cursor was followed.
        Assert.Equal(2, Api.CallsTo("conversations.replies").Count(c => c.Field("ts") == root));
        Assert.Contains(Api.CallsTo("conversations.replies"), c => c.Field("ts") == root && c.Field("cursor") == "2");

        await AnswerMarkerAsync();
        Assert.Single(Api.CallsTo("conversations.replies"), c => c.Field("ts") == unrelatedRoot);
        Assert.DoesNotContain(Api.CallsTo("chat.postMessage"), c => c.Field("thread_ts") == unrelatedRoot);
    }

    [Fact]
    public async Task A_rate_limited_post_waits_for_retry_after_and_is_delivered_once()
    {
        // The host's clock is the test's: Slack's 30 s Retry-After passes without waiting 30 s.
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var bot = await BotHost.StartAsync(time, SlackRequests.Settings(Api));
        Api.ScriptRateLimit("chat.postMessage", retryAfterSeconds: 30);
        var ts = NextTs();
        await SendAsync(Event(Envelope(Mention("How do I respond to a dispute?", ts))), bot);
        await RepliesInThreadAsync(ts); // refused with 429

        time.Advance(TimeSpan.FromSeconds(29));
        await Task.Delay(200);
        Assert.Single(Api.CallsTo("chat.postMessage"), c => c.Field("thread_ts") == ts); // not before Retry-After

        // The retry's timer may start a little after the 429 arrives (a loaded machine): move the clock on a second at a
        // time until the post comes, within another Retry-After.
        for (var second = 0; second < 30 && Api.CallsTo("chat.postMessage").Count(c => c.Field("thread_ts") == ts) < 2; second++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(100);
        }

        var posts = await RepliesInThreadAsync(ts, 2);
        Assert.Equal(2, posts.Count);
        Assert.Contains("dispute", posts[1].Field("text")!, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Two_replicas_sharing_redis_answer_a_delivery_once()
    {
        var prefix = SharedRedis.NewPrefix();
        await using var a = await BotHost.StartAsync(Settings(Api, $"Redis:Configuration={redis.Configuration}", $"Redis:KeyPrefix={prefix}"));
        await using var b = await BotHost.StartAsync(Settings(Api, $"Redis:Configuration={redis.Configuration}", $"Redis:KeyPrefix={prefix}"));
        var threads = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            var ts = NextTs();
            threads.Add(ts);
            var envelope = Envelope(Mention(i % 2 == 0 ? "How do I respond to a dispute?" : "Why is a payout delayed?", ts));
            // Slack's delivery and its retry, landing on different replicas at the same time.
            var retry = Event(envelope);
            retry.Headers.Add("X-Slack-Retry-Num", "1");
            var responses = await Task.WhenAll(SendAsync(Event(envelope), a), SendAsync(retry, b));
            Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        }

        foreach (var ts in threads)
        {
            await RepliesInThreadAsync(ts);
        }

        await AnswerMarkerAsync(a);
        foreach (var ts in threads)
        {
            Assert.Single(Api.CallsTo("chat.postMessage"), c => c.Field("thread_ts") == ts);
        }
    }

    /// <summary>Sends a fresh mention and waits for its answer: whatever was sent before has been handled by then.</summary>
    private async Task AnswerMarkerAsync(BotHost? host = null)
    {
        var marker = NextTs();
        await SendAsync(Event(Envelope(Mention("How do chargebacks work?", marker))), host);
        await RepliesInThreadAsync(marker);
        await Task.Delay(300);
    }
}
