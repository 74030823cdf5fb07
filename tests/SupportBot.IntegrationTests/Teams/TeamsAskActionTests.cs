using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using SupportBot.Core.Conversations;
using SupportBot.Core.State;
using SupportBot.IntegrationTests.Infrastructure;

namespace SupportBot.IntegrationTests.Teams;

/// <summary>
/// "Ask SupportBot" on a channel message: <c>composeExtension/fetchTask</c> opens a dialog with the message's text, masked,
/// as the question; <c>composeExtension/submitAction</c> queues it, and the answer, with its sources and Share with the
/// thread, goes to the asker's personal chat only: nothing is posted in the channel and the thread's history is untouched.
/// </summary>
public sealed class TeamsAskActionTests : IAsyncLifetime
{
    private const string Root = "1760000000777";
    private const string ThreadId = $"{TeamsActivities.Channel};messageid={Root}";

    private BotFrameworkStandIn _botFramework = null!;
    private BotHost _host = null!;
    private string _channels = null!;

    public async Task InitializeAsync()
    {
        // A second channel where SupportBot is off.
        _channels = Path.Combine(Path.GetTempPath(), $"channels-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(_channels, "channels:\n  teams:19:off-channel@thread.tacv2:\n    mode: off\n");
        _botFramework = await BotFrameworkStandIn.StartAsync();
        _host = await BotHost.StartAsync(_botFramework.HostSettings($"Teams:AllowedTenants={BotFrameworkStandIn.Tenant}", $"Channels:File={_channels}"));
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _botFramework.DisposeAsync();
        File.Delete(_channels);
    }

    /// <summary>The invoke Teams sends when "Ask SupportBot" is chosen on a channel message (reply in thread <see cref="Root"/>).</summary>
    private JsonObject Invoke(string name, JsonObject? data = null, string? id = null)
    {
        var invoke = TeamsActivities.ChannelMessage(_botFramework.ServiceUrl, string.Empty, mentionBot: false, threadRoot: Root, id: id ?? "f:" + Guid.NewGuid());
        invoke["type"] = "invoke";
        invoke["name"] = name;
        invoke.Remove("text");
        invoke["from"]!["aadObjectId"] = "7faf8ab2-3d56-4244-b585-20c8a42ed2b8";
        var value = new JsonObject
        {
            ["commandId"] = "askSupportBot",
            ["commandContext"] = "message",
            ["requestId"] = Guid.NewGuid().ToString("N"),
            ["messagePayload"] = new JsonObject
            {
                ["linkToMessage"] = $"https://teams.microsoft.com/l/message/{TeamsActivities.Channel}/1760000000790",
                ["id"] = "1760000000790",
                ["replyToId"] = Root,
                ["messageType"] = "message",
                ["body"] = new JsonObject
                {
                    ["contentType"] = "html",
                    ["content"] = "<div><p>Merchant on the phone: how do I respond to a dispute?</p><p>Their card 4242 4242 4242 4242 was charged back.</p></div>",
                },
                ["from"] = new JsonObject { ["user"] = new JsonObject { ["userIdentityType"] = "aadUser", ["id"] = "b130c271-d2eb-45f9-83ab-9eb3fe3788bc", ["displayName"] = "Olo Brockhouse" } },
                ["attachments"] = new JsonArray(),
            },
            ["context"] = new JsonObject { ["theme"] = "default" },
        };
        if (data is not null)
        {
            value["data"] = data;
        }

        invoke["value"] = value;
        return invoke;
    }

    private async Task<JsonObject> SendAsync(JsonObject invoke)
    {
        using var response = await TeamsActivities.PostAsync(_host.Client, invoke, _botFramework.MintToken());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    private IEnumerable<ConnectorRequest> PersonalCards() =>
        _botFramework.ConnectorRequests.Where(r => r.RawTarget.Contains("new-thread", StringComparison.Ordinal) && r.Body["attachments"] is JsonArray { Count: > 0 });

    [Fact]
    public async Task The_messages_question_is_answered_privately_with_sources_and_nothing_is_said_in_the_channel()
    {
        var opened = await SendAsync(Invoke("composeExtension/fetchTask"));

        Assert.Equal("continue", opened["task"]!["type"]!.GetValue<string>());
        Assert.Equal("Ask SupportBot", opened["task"]!["value"]!["title"]!.GetValue<string>());
        var card = opened["task"]!["value"]!["card"]!;
        Assert.Equal("application/vnd.microsoft.card.adaptive", card["contentType"]!.GetValue<string>());
        var input = card["content"]!["body"]!.AsArray().Single(b => b!["type"]!.GetValue<string>() == "Input.Text")!;
        var prefilled = input["value"]!.GetValue<string>();
        Assert.Equal("question", input["id"]!.GetValue<string>());
        Assert.Contains("how do I respond to a dispute?", prefilled, StringComparison.Ordinal);
        Assert.Contains("[card ••••4242]", prefilled, StringComparison.Ordinal);
        Assert.DoesNotContain("4242 4242", prefilled, StringComparison.Ordinal);
        var submitData = card["content"]!["actions"]![0]!["data"]!.DeepClone().AsObject();
        Assert.Equal(Root, submitData["root"]!.GetValue<string>());

        // The agent trims the dialog's text to the question; Teams merges the input into the action's data.
        submitData["question"] = "How do I respond to a dispute?";
        var submit = Invoke("composeExtension/submitAction", submitData);
        var submitted = await SendAsync(submit);
        Assert.Equal("message", submitted["task"]!["type"]!.GetValue<string>());
        Assert.Contains("your chat with it", submitted["task"]!["value"]!.GetValue<string>(), StringComparison.Ordinal);
        var again = await SendAsync(submit); // Teams retrying the same invoke: answered once
        Assert.Equal("message", again["task"]!["type"]!.GetValue<string>());

        ConnectorRequest? answer = null;
        await RedisServer.WaitUntilAsync(() => Task.FromResult((answer = PersonalCards().FirstOrDefault()) is not null), TimeSpan.FromSeconds(20), "no private answer");
        var created = _botFramework.ConnectorRequests.Single(r => r.RawTarget.EndsWith("/v3/conversations", StringComparison.Ordinal));
        Assert.False(created.Body["isGroup"]!.GetValue<bool>());
        Assert.Equal(TeamsActivities.User, created.Body["members"]![0]!["id"]!.GetValue<string>());
        Assert.Equal(BotFrameworkStandIn.Tenant, created.Body["tenantId"]!.GetValue<string>());

        Assert.Equal("POST", answer!.Method);
        var content = answer.Body["attachments"]![0]!["content"]!;
        Assert.Matches(@"\[1\]", answer.Body["text"]!.GetValue<string>()); // an AI message: the answer is the message's text (docs/teams.md)
        Assert.Contains("(https://kb.paylane.example/disputes/responding-to-a-dispute)", content.ToJsonString(), StringComparison.Ordinal);
        var verbs = content["actions"]!.AsArray().Select(a => a!["verb"]?.GetValue<string>()).ToList();
        Assert.Contains("answer.share", verbs);

        await Task.Delay(500);
        Assert.Single(PersonalCards());
        Assert.DoesNotContain(_botFramework.ConnectorRequests, r => r.RawTarget.Contains(Uri.EscapeDataString(TeamsActivities.Channel), StringComparison.Ordinal));
        var history = await _host.Services.GetRequiredService<IConversationStore>().GetHistoryAsync(new ConversationRef("teams", TeamsActivities.Channel, Root), default);
        Assert.Empty(history);

        // Share with the thread posts the answer, answered again, in the message's thread.
        var share = content["actions"]!.AsArray().Single(a => a!["verb"]?.GetValue<string>() == "answer.share")!;
        var click = TeamsActivities.Personal(_botFramework.ServiceUrl, string.Empty);
        click["type"] = "invoke";
        click["name"] = "adaptiveCard/action";
        click.Remove("text");
        click["value"] = new JsonObject { ["action"] = new JsonObject { ["type"] = "Action.Execute", ["verb"] = "answer.share", ["data"] = share["data"]!.DeepClone() } };
        using (await TeamsActivities.PostAsync(_host.Client, click, _botFramework.MintToken()))
        {
        }

        await RedisServer.WaitUntilAsync(
            () => Task.FromResult(_botFramework.ConnectorRequests.Any(r => r.RawTarget.Contains(Uri.EscapeDataString(ThreadId), StringComparison.Ordinal)
                && r.Body.ToJsonString().Contains("Shared by", StringComparison.Ordinal))),
            TimeSpan.FromSeconds(20), "the answer was not shared into the thread");
    }

    [Fact]
    public async Task A_message_without_text_or_a_channel_where_supportbot_is_off_is_refused_in_the_dialog()
    {
        var empty = Invoke("composeExtension/fetchTask");
        empty["value"]!["messagePayload"]!["body"]!["content"] = "<attachment id=\"a1\"></attachment>";
        var noText = await SendAsync(empty);
        Assert.Equal("message", noText["task"]!["type"]!.GetValue<string>());
        Assert.Contains("no text", noText["task"]!["value"]!.GetValue<string>(), StringComparison.Ordinal);

        var off = Invoke("composeExtension/submitAction", new JsonObject { ["question"] = "How do I respond to a dispute?", ["root"] = Root });
        off["conversation"]!["id"] = "19:off-channel@thread.tacv2;messageid=" + Root;
        var refused = await SendAsync(off);
        Assert.Equal("message", refused["task"]!["type"]!.GetValue<string>());
        Assert.Contains("turned off", refused["task"]!["value"]!.GetValue<string>(), StringComparison.Ordinal);

        await Task.Delay(500);
        Assert.False(await WasTakenAsync(off));
        Assert.Empty(PersonalCards());
    }

    [Fact]
    public async Task Without_a_token_or_from_another_tenant_nothing_is_asked()
    {
        var data = new JsonObject { ["question"] = "How do I respond to a dispute?", ["root"] = Root };
        var unsigned = Invoke("composeExtension/submitAction", data.DeepClone().AsObject());
        using (var response = await TeamsActivities.PostAsync(_host.Client, unsigned, token: null))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Empty(await response.Content.ReadAsStringAsync());
        }

        var foreign = Invoke("composeExtension/submitAction", data.DeepClone().AsObject());
        foreign["conversation"]!["tenantId"] = "9f3c6a1e-0000-4000-8000-00000000beef";
        foreign["channelData"]!["tenant"]!["id"] = "9f3c6a1e-0000-4000-8000-00000000beef";
        using (var response = await TeamsActivities.PostAsync(_host.Client, foreign, _botFramework.MintToken()))
        {
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }

        await Task.Delay(500);
        Assert.False(await WasTakenAsync(unsigned));
        Assert.False(await WasTakenAsync(foreign));
        Assert.Empty(_botFramework.ConnectorRequests);
    }

    private async Task<bool> WasTakenAsync(JsonObject activity)
    {
        var key = $"inbound:teams:{activity["conversation"]!["id"]}|{activity["id"]}";
        var deduplicator = _host.Services.GetRequiredService<IDeduplicator>();
        if (await deduplicator.TryClaimAsync(key, TimeSpan.FromSeconds(1), CancellationToken.None))
        {
            await deduplicator.ReleaseAsync(key, CancellationToken.None);
            return false;
        }

        return true;
    }
}
