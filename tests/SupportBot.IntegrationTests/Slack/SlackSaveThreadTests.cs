using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using SupportBot.Core.PastThreads;
using SupportBot.IntegrationTests.Infrastructure;
using static SupportBot.IntegrationTests.Slack.SlackRequests;

namespace SupportBot.IntegrationTests.Slack;

/// <summary>
/// "Save to knowledge" on a message: its whole thread, as Slack lists it (<c>conversations.replies</c>), is kept masked
/// as a past thread, the people's messages only, and the person is told privately. Kept threads reach the knowledge
/// index: answers cite them as past threads, and a new escalation's team thread is offered the similar ones.
/// </summary>
public sealed class SlackSaveThreadTests : IAsyncLifetime
{
    private SlackApiStandIn _api = null!;
    private BotHost _bot = null!;

    public async Task InitializeAsync()
    {
        _api = await SlackApiStandIn.StartAsync();
        _bot = await BotHost.StartAsync(Settings(_api, "Knowledge:PastThreads:SyncInterval=00:00:01"));
    }

    public async Task DisposeAsync()
    {
        await _bot.DisposeAsync();
        await _api.DisposeAsync();
    }

    [Fact]
    public async Task The_thread_is_kept_masked_without_the_bots_replies_and_the_saver_is_told()
    {
        var root = NextTs();
        var reply = NextTs();
        _api.Threads[$"{Channel}:{root}"] =
        [
            new JsonObject { ["ts"] = root, ["user"] = "UAGENT01", ["text"] = "Refund to card 4242 4242 4242 4242 failed with code R05\nmerchant is upset" },
            new JsonObject { ["ts"] = NextTs(), ["bot_id"] = "B0SUPPORTBOT", ["text"] = "I don't know: the knowledge base does not cover this." },
            new JsonObject { ["ts"] = reply, ["user"] = "UAGENT02", ["text"] = "R05 means the issuer closed the card: refund by bank transfer instead." },
        ];

        using (var response = await _bot.Client.SendAsync(Interaction(MessageShortcut("supportbot.save_thread", "R05 means …", reply, threadTs: root))))
        {
            response.EnsureSuccessStatusCode();
        }

        var told = (await _api.WaitForAsync("chat.postEphemeral", c => c.Field("text")?.Contains("Saved this thread", StringComparison.Ordinal) == true))[0];
        Assert.Equal("UAGENT01", told.Field("user"));
        Assert.Contains("2 messages", told.Field("text")!, StringComparison.Ordinal);

        var kept = await _bot.Services.GetRequiredService<IPastThreads>().GetAsync($"thread:slack:{Channel}:{root}", default);
        Assert.NotNull(kept);
        Assert.Equal(PastThreadKind.Saved, kept.Kind);
        Assert.StartsWith("Refund to card", kept.Title, StringComparison.Ordinal);
        Assert.DoesNotContain("4242 4242 4242 4242", kept.Text, StringComparison.Ordinal);
        Assert.Contains("bank transfer", kept.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("knowledge base does not cover", kept.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_saved_thread_is_cited_as_a_past_thread_and_offered_to_a_new_escalation()
    {
        var root = NextTs();
        _api.Threads[$"{Channel}:{root}"] =
        [
            new JsonObject { ["ts"] = root, ["user"] = "UAGENT01", ["text"] = "Refund rejected with issuer response R07 on a corporate card" },
            new JsonObject { ["ts"] = NextTs(), ["user"] = "UAGENT02", ["text"] = "R07 is a revoked authorization: ask the cardholder to contact the issuer, then retry the refund." },
        ];
        using (var response = await _bot.Client.SendAsync(Interaction(MessageShortcut("supportbot.save_thread", "R07 …", root))))
        {
            response.EnsureSuccessStatusCode();
        }

        // Indexed within a sync round: the knowledge search finds it among past threads.
        var search = _bot.Services.GetRequiredService<SupportBot.Core.Answering.IKnowledgeSearch>();
        await RedisServer.WaitUntilAsync(
            async () => (await search.SearchAsync(new("issuer response R07 refund", [], Top: 3) { Sources = [PastThread.SourceName] }, default)).Count > 0,
            TimeSpan.FromSeconds(20), "the saved thread never reached the index");

        var question = NextTs();
        using (var asked = await _bot.Client.SendAsync(Event(Envelope(Mention("What does issuer response R07 mean for a refund?", question)))))
        {
            asked.EnsureSuccessStatusCode();
        }

        var answer = (await _api.WaitForAsync("chat.postMessage", c => c.Field("thread_ts") == question))[0];
        Assert.Contains("Past thread: Refund rejected with issuer response R07", answer.Field("text")!, StringComparison.Ordinal);

        // A new escalation about the same thing: the team's thread is offered it.
        using (var escalated = await _bot.Client.SendAsync(Event(Envelope(Mention("escalate to payments sev3 refund rejected with issuer response R07 again", NextTs())))))
        {
            escalated.EnsureSuccessStatusCode();
        }

        var similar = (await _api.WaitForAsync("chat.postMessage", c => c.Field("channel") == "C0PAYMENTS" && c.Field("text")?.StartsWith("Similar past escalations", StringComparison.Ordinal) == true))[0];
        Assert.Contains("Past thread: Refund rejected with issuer response R07", similar.Field("text")!, StringComparison.Ordinal);
    }
}
