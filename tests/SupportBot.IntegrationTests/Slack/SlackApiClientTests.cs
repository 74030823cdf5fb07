using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using SupportBot.IntegrationTests.Infrastructure;
using SupportBot.Slack;
using SupportBot.Slack.WebApi;
using static SupportBot.IntegrationTests.Slack.SlackRequests;

namespace SupportBot.IntegrationTests.Slack;

/// <summary>The typed Web API client, as the host composes it, against the stand-in over HTTP.</summary>
public sealed class SlackApiClientTests : IAsyncLifetime
{
    private SlackApiStandIn _api = null!;
    private BotHost _host = null!;
    private SlackApiClient _client = null!;

    // The host's clock: retries wait on it, and the tests move it instead of waiting out the back-off.
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);

    public async Task InitializeAsync()
    {
        _api = await SlackApiStandIn.StartAsync();
        _host = await BotHost.StartAsync(_time, Settings(_api));
        _client = _host.Services.GetRequiredService<SlackApiClient>();
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _api.DisposeAsync();
    }

    [Fact]
    public void The_bot_learns_its_own_ids_with_auth_test_at_start()
    {
        var identity = _host.Services.GetRequiredService<SlackBotIdentity>().Current;
        Assert.Equal(SlackApiStandIn.BotUserId, identity?.UserId);
        Assert.Equal(SlackApiStandIn.BotId, identity?.BotId);
        Assert.Equal("Bearer " + BotToken, _api.CallsTo("auth.test")[0].Authorization);
    }

    [Fact]
    public async Task A_final_error_raises_a_typed_exception_without_retrying()
    {
        _api.ScriptError("chat.postMessage", "channel_not_found");
        var error = await Assert.ThrowsAsync<SlackApiException>(() => _client.PostMessageAsync(new SlackPost("C0NOPE", "hello"), CancellationToken.None));
        Assert.Equal("channel_not_found", error.Error);
        Assert.Equal("chat.postMessage", error.Method);
        Assert.False(error.Retryable);
        Assert.Single(_api.CallsTo("chat.postMessage"));
    }

    [Theory]
    [InlineData("ratelimited")]
    [InlineData("internal_error")]
    [InlineData("service_unavailable")]
    public async Task A_transient_error_is_retried_with_the_same_body(string error)
    {
        _api.ScriptError("chat.update", error);
        await WithTimeMovingAsync(_client.UpdateMessageAsync("C0ONE", "1700000000.000001", "new text", null, CancellationToken.None));
        var calls = _api.CallsTo("chat.update");
        Assert.Equal(2, calls.Count);
        Assert.Equal(calls[0].Body, calls[1].Body);
        Assert.Equal("new text", calls[1].Field("text"));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_single_attempt_edit_reports_a_rate_limit_instead_of_retrying(bool http429)
    {
        if (http429)
        {
            _api.ScriptRateLimit("chat.update", retryAfterSeconds: 2);
        }
        else
        {
            _api.ScriptError("chat.update", "ratelimited");
        }

        var error = await Assert.ThrowsAsync<SlackApiException>(() => _client.UpdateMessageOnceAsync("C0ONE", "1700000000.000001", "growing", CancellationToken.None));

        Assert.True(error.RateLimited);
        Assert.Equal(http429 ? TimeSpan.FromSeconds(2) : null, error.RetryAfter);
        Assert.Single(_api.CallsTo("chat.update"));
    }

    [Fact]
    public async Task Retries_stop_after_the_limit_and_raise_the_error()
    {
        for (var i = 0; i < 6; i++)
        {
            _api.ScriptError("users.info", "fatal_error");
        }

        var error = await Assert.ThrowsAsync<SlackApiException>(() => WithTimeMovingAsync(_client.GetUserAsync("UAGENT01", CancellationToken.None)));
        Assert.Equal("fatal_error", error.Error);
        Assert.True(error.Retryable);
        Assert.Equal(4, _api.CallsTo("users.info").Count);
    }

    [Fact]
    public async Task Read_methods_send_form_fields_and_follow_cursors()
    {
        _api.Threads["C0ONE:1700000000.000001"] = [.. Enumerable.Range(1, 5).Select(i => new JsonObject { ["ts"] = $"1700000000.00000{i}", ["user"] = "U" + i, ["text"] = "m" + i })];
        var messages = await _client.GetRepliesAsync("C0ONE", "1700000000.000001", CancellationToken.None);
        Assert.Equal(["m1", "m2", "m3", "m4", "m5"], messages.Select(m => m.Text));
        var calls = _api.CallsTo("conversations.replies");
        Assert.Equal(3, calls.Count);
        Assert.All(calls, c => Assert.StartsWith("application/x-www-form-urlencoded", c.ContentType, StringComparison.Ordinal));
        Assert.Equal([null, "2", "4"], calls.Select(c => c.Field("cursor")));

        var user = await _client.GetUserAsync("UAGENT01", CancellationToken.None);
        Assert.Equal("agent.smith", user.Name);
    }

    [Fact]
    public async Task Write_methods_send_json_with_the_bearer_token()
    {
        await _client.PostEphemeralAsync(new SlackPost("C0ONE", "only you", ThreadTs: "1700000000.000001"), "UAGENT01", CancellationToken.None);
        await _client.AddReactionAsync("C0ONE", "1700000000.000001", "eyes", CancellationToken.None);
        await _client.OpenViewAsync("1.2.trigger", new JsonObject { ["type"] = "modal", ["title"] = new JsonObject { ["type"] = "plain_text", ["text"] = "Escalate" } }, CancellationToken.None);
        foreach (var method in new[] { "chat.postEphemeral", "reactions.add", "views.open" })
        {
            var call = Assert.Single(_api.CallsTo(method));
            Assert.Equal("Bearer " + BotToken, call.Authorization);
            Assert.StartsWith("application/json", call.ContentType, StringComparison.Ordinal);
        }

        Assert.Equal("UAGENT01", _api.CallsTo("chat.postEphemeral")[0].Field("user"));
        Assert.Equal("modal", _api.CallsTo("views.open")[0].Json.GetProperty("view").GetProperty("type").GetString());
    }

    [Fact]
    public async Task An_existing_reaction_counts_as_done()
    {
        _api.ScriptError("reactions.add", "already_reacted");
        await _client.AddReactionAsync("C0ONE", "1700000000.000001", "eyes", CancellationToken.None);
        Assert.Single(_api.CallsTo("reactions.add"));
    }

    /// <summary>Moves the host's clock a second at a time until <paramref name="call"/> is done: its retries back off on it.</summary>
    private async Task WithTimeMovingAsync(Task call)
    {
        for (var i = 0; i < 120 && !call.IsCompleted; i++)
        {
            await Task.WhenAny(call, Task.Delay(20));
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        await call;
    }
}
