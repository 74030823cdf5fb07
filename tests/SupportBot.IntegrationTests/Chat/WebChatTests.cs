using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using SupportBot.Host.Endpoints;
using SupportBot.IntegrationTests.Infrastructure;

namespace SupportBot.IntegrationTests.Chat;

public sealed class WebChatTests : IAsyncLifetime
{
    private BotHost _host = null!;

    public async Task InitializeAsync() => _host = await BotHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task A_question_is_acknowledged_at_once_and_answered_with_citations()
    {
        var sent = await _host.SendAsync("How do I respond to a dispute?");
        var reply = await _host.WaitForReplyAsync(sent);

        Assert.Equal("answer", reply.Kind);
        Assert.True(reply.Confident);
        Assert.Matches(@"\[1\]", reply.Text);
        Assert.Contains(reply.Citations, c => c.Url == "https://kb.paylane.example/disputes/responding-to-a-dispute");
        Assert.Equal(["feedback.helpful", "feedback.not_helpful", "draft.reply"], reply.Actions.Select(a => a.Id));
    }

    [Fact]
    public async Task A_follow_up_in_the_same_thread_uses_the_earlier_turns()
    {
        var first = await _host.SendAsync("Why did a payout fail with account_closed?");
        await _host.WaitForReplyAsync(first);
        var followUp = await _host.SendAsync("What should I tell the merchant?", first.ThreadId);
        var reply = await _host.WaitForReplyAsync(followUp);

        Assert.Equal(first.ThreadId, followUp.ThreadId);
        Assert.Contains(reply.Citations, c => c.Url.Contains("/payouts/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_off_topic_question_is_declined_and_shows_up_as_a_knowledge_gap()
    {
        var sent = await _host.SendAsync("What is the capital of France?");
        var reply = await _host.WaitForReplyAsync(sent);

        Assert.False(reply.Confident);
        var dashboard = await _host.Client.GetFromJsonAsync<JsonElement>("/api/dashboard");
        Assert.Contains(dashboard.GetProperty("gaps").EnumerateArray(), g => g.GetProperty("question").GetString() == "What is the capital of France?");
        Assert.Equal("ready", dashboard.GetProperty("ready").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Feedback_is_counted_once_per_reply()
    {
        var sent = await _host.SendAsync("What does card_velocity_exceeded mean?");
        var reply = await _host.WaitForReplyAsync(sent);
        var action = new { threadId = sent.ThreadId, replyTo = reply.Seq, messageId = sent.MessageId, action = "feedback.helpful" };

        Assert.Equal(HttpStatusCode.Accepted, (await _host.Client.PostAsJsonAsync("/chat/api/actions", action)).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await _host.Client.PostAsJsonAsync("/chat/api/actions", action)).StatusCode);

        await RedisServer.WaitUntilAsync(async () =>
            (await _host.Client.GetFromJsonAsync<JsonElement>("/api/dashboard")).GetProperty("totals").GetProperty("helpful").GetInt64() == 1,
            TimeSpan.FromSeconds(10), "feedback not recorded");
        await Task.Delay(300);
        var totals = (await _host.Client.GetFromJsonAsync<JsonElement>("/api/dashboard")).GetProperty("totals");
        Assert.Equal(1, totals.GetProperty("helpful").GetInt64());
    }

    [Theory]
    [InlineData("{\"text\":\"\"}", "Type a question first.")]
    [InlineData("{\"text\":\"hi\",\"threadId\":\"../../etc\"}", "threadId must be")]
    public async Task Bad_input_gets_a_clear_400(string body, string error)
    {
        var response = await _host.Client.PostAsync(new Uri("/chat/api/messages", UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var parsed = await response.Content.ReadFromJsonAsync<ApiError>();
        Assert.StartsWith(error, parsed!.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Malformed_json_is_a_400()
    {
        var response = await _host.Client.PostAsync(new Uri("/chat/api/messages", UriKind.Relative), new StringContent("{not json", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task An_overlong_question_is_refused()
    {
        var response = await _host.Client.PostAsJsonAsync("/chat/api/messages", new { text = new string('a', ChatEndpoints.MaxTextLength + 1) });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task An_oversized_body_is_a_413()
    {
        var response = await _host.Client.PostAsync(
            new Uri("/chat/api/messages", UriKind.Relative),
            new StringContent($"{{\"text\":\"{new string('a', 200_000)}\"}}", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task An_unknown_action_is_refused()
    {
        var response = await _host.Client.PostAsJsonAsync("/chat/api/actions", new { threadId = "abc", replyTo = 1, action = "launch.rockets" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
