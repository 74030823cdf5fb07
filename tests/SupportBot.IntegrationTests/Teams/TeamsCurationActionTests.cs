using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using System.Text.Json.Nodes;
using SupportBot.IntegrationTests.Infrastructure;

namespace SupportBot.IntegrationTests.Teams;

/// <summary>
/// Curation from an answer's "…" menu on Teams: the manifest's "Curate sources" message action on one of the bot's
/// answers opens, for members of an Entra ID group in <c>Curation:ChatGroups</c>, a dialog listing the articles it
/// cited (<c>composeExtension/fetchTask</c>); submitting "hide" keeps the article out of the next answer
/// (<c>composeExtension/submitAction</c>). Others are told it is for curators.
/// </summary>
public sealed class TeamsCurationActionTests : IAsyncLifetime
{
    private const string Curators = "5d0c3a7e-2b1f-4c8d-9e6a-7f1b2c3d4e5f";
    private const string Curator = "9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b";

    private BotFrameworkStandIn _botFramework = null!;
    private BotHost _host = null!;

    public async Task InitializeAsync()
    {
        _botFramework = await BotFrameworkStandIn.StartAsync();
        _botFramework.GroupMembers[Curator] = [Curators];
        // Both platforms' groups in one list: Teams checks the Entra ID one only.
        _host = await BotHost.StartAsync(_botFramework.HostSettings($"Curation:ChatGroups=S0CURATORS,{Curators}"));
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _botFramework.DisposeAsync();
    }

    /// <summary>The answer message the bot posted in a personal chat of its own: its card, its id and the chat.</summary>
    private sealed record Answered(JsonObject Card, string MessageId, string ConversationId);

    private async Task<Answered> AskAsync(string question)
    {
        var conversationId = $"a:personal-{Guid.NewGuid():N}";
        using (await TeamsActivities.PostAsync(_host.Client, TeamsActivities.Personal(_botFramework.ServiceUrl, question, conversationId: conversationId), _botFramework.MintToken()))
        {
        }

        ConnectorRequest? found = null;
        await RedisServer.WaitUntilAsync(
            () => Task.FromResult((found = _botFramework.ConnectorRequests.LastOrDefault(r => r.RawTarget.Contains(Uri.EscapeDataString(conversationId), StringComparison.Ordinal)
                && r.Body["attachments"]?[0]?["content"]?["actions"] is JsonArray)) is not null),
            TimeSpan.FromSeconds(20), "no answer card");
        return new Answered(found!.Body["attachments"]![0]!["content"]!.AsObject(), found.ResponseId!, conversationId);
    }

    /// <summary>The message action used in the chat of <paramref name="on"/> (where the answer is), or in a channel.</summary>
    private JsonObject Invoke(string name, string user, JsonObject value, Answered? on = null)
    {
        var invoke = on is null
            ? TeamsActivities.ChannelMessage(_botFramework.ServiceUrl, string.Empty, mentionBot: false)
            : TeamsActivities.Personal(_botFramework.ServiceUrl, string.Empty, conversationId: on.ConversationId);
        invoke["type"] = "invoke";
        invoke["name"] = name;
        invoke.Remove("text");
        invoke["from"]!["aadObjectId"] = user;
        value["commandId"] = "curateSources";
        value["commandContext"] = "message";
        invoke["value"] = value;
        return invoke;
    }

    // Teams hands the message over with its id, and its card as a JSON string. An answer's text is the message's own
    // (an AI message); its card has no Not helpful button, so the answer is found by the message's id.
    private static JsonObject Payload(Answered answer) => new()
    {
        ["id"] = answer.MessageId,
        ["messageType"] = "message",
        ["body"] = new JsonObject { ["contentType"] = "html", ["content"] = "<attachment id=\"a1\"></attachment>" },
        ["attachments"] = new JsonArray(new JsonObject { ["id"] = "a1", ["contentType"] = "application/vnd.microsoft.card.adaptive", ["content"] = answer.Card.ToJsonString() }),
    };

    private async Task<JsonObject> SendAsync(JsonObject invoke)
    {
        using var response = await TeamsActivities.PostAsync(_host.Client, invoke, _botFramework.MintToken());
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    [Fact]
    public async Task A_curator_hides_a_cited_article_and_the_next_answer_leaves_it_out()
    {
        var answer = await AskAsync("How do I respond to a dispute?");

        // The message's id means that answer only in its own chat.
        var elsewhere = await SendAsync(Invoke("composeExtension/fetchTask", Curator, new JsonObject { ["messagePayload"] = Payload(answer) }));
        Assert.Contains("not one of my answers", elsewhere.ToJsonString(), StringComparison.Ordinal);

        var opened = await SendAsync(Invoke("composeExtension/fetchTask", Curator, new JsonObject { ["messagePayload"] = Payload(answer) }, answer));
        Assert.Equal("continue", opened["task"]!["type"]!.GetValue<string>());
        var dialog = opened["task"]!["value"]!["card"]!["content"]!.AsObject();
        var article = dialog["body"]!.AsArray().Single(b => b!["id"]?.GetValue<string>() == "article")!["choices"]![0]!;
        var title = article["title"]!.GetValue<string>();
        var data = dialog["actions"]![0]!["data"]!.DeepClone().AsObject();
        Assert.Contains(title, answer.Card.ToJsonString(), StringComparison.Ordinal);

        // An article the answer did not cite is refused, the dialog stays.
        data["article"] = "kb/not-cited";
        data["state"] = "hidden";
        var refused = await SendAsync(Invoke("composeExtension/submitAction", Curator, new JsonObject { ["data"] = data.DeepClone() }));
        Assert.Contains("not one this answer cited", refused.ToJsonString(), StringComparison.Ordinal);

        data["article"] = article["value"]!.GetValue<string>();
        var done = await SendAsync(Invoke("composeExtension/submitAction", Curator, new JsonObject { ["data"] = data }));
        Assert.Equal("message", done["task"]!["type"]!.GetValue<string>());
        Assert.Contains("hidden", done["task"]!["value"]!.GetValue<string>(), StringComparison.Ordinal);

        var again = await AskAsync("How do I respond to a dispute?");
        Assert.DoesNotContain(title, again.Card.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Someone_outside_the_curator_groups_is_told_it_is_for_curators()
    {
        var answer = await AskAsync("Why is a payout delayed?");

        var refused = await SendAsync(Invoke("composeExtension/fetchTask", "11111111-2222-4333-8444-555555555555", new JsonObject { ["messagePayload"] = Payload(answer) }));

        Assert.Equal("message", refused["task"]!["type"]!.GetValue<string>());
        Assert.Contains("curators", refused["task"]!["value"]!.GetValue<string>(), StringComparison.Ordinal);
        var submitted = await SendAsync(Invoke("composeExtension/submitAction", "11111111-2222-4333-8444-555555555555",
            new JsonObject { ["data"] = new JsonObject { ["answerId"] = "x", ["article"] = "kb/x", ["state"] = "hidden" } }));
        Assert.Contains("Only support-ops curators", submitted.ToJsonString(), StringComparison.Ordinal);
    }
}

/// <summary>
/// "Save to knowledge" as a Teams message action: the message's thread is queued like any action and kept masked as a
/// past thread; the dialog says it is on its way and the person is told in their personal chat when it is saved.
/// </summary>
public sealed class TeamsSaveThreadTests : IAsyncLifetime
{
    private BotFrameworkStandIn _botFramework = null!;
    private BotHost _host = null!;

    public async Task InitializeAsync()
    {
        _botFramework = await BotFrameworkStandIn.StartAsync();
        _host = await BotHost.StartAsync(_botFramework.HostSettings());
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _botFramework.DisposeAsync();
    }

    [Fact]
    public async Task The_messages_thread_is_kept_masked_and_the_saver_is_told()
    {
        var invoke = TeamsActivities.ChannelMessage(_botFramework.ServiceUrl, string.Empty, mentionBot: false);
        invoke["type"] = "invoke";
        invoke["name"] = "composeExtension/fetchTask";
        invoke.Remove("text");
        invoke["value"] = new JsonObject
        {
            ["commandId"] = "saveThread",
            ["commandContext"] = "message",
            ["messagePayload"] = new JsonObject
            {
                ["id"] = "1760000000555",
                ["replyToId"] = "1760000000500",
                ["messageType"] = "message",
                ["body"] = new JsonObject { ["contentType"] = "html", ["content"] = "<p>Payout to IBAN DE89 3704 0044 0532 0130 00 bounced: the bank&#39;s BIC changed.</p>" },
            },
        };

        using (var response = await TeamsActivities.PostAsync(_host.Client, invoke, _botFramework.MintToken()))
        {
            var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
            Assert.Equal("message", body["task"]!["type"]!.GetValue<string>());
        }

        var threads = _host.Services.GetRequiredService<SupportBot.Core.PastThreads.IPastThreads>();
        SupportBot.Core.PastThreads.PastThread? kept = null;
        await RedisServer.WaitUntilAsync(async () => (kept = await threads.GetAsync($"thread:teams:{TeamsActivities.Channel}:1760000000500", default)) is not null,
            TimeSpan.FromSeconds(20), "the thread was not kept");
        Assert.Contains("the bank's BIC changed", kept!.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("3704 0044 0532 0130 00", kept.Text, StringComparison.Ordinal);
        await RedisServer.WaitUntilAsync(
            () => Task.FromResult(_botFramework.ConnectorRequests.Any(r => r.Body.ToJsonString().Contains("Saved this thread as knowledge", StringComparison.Ordinal))),
            TimeSpan.FromSeconds(20), "the saver was not told");
    }
}
