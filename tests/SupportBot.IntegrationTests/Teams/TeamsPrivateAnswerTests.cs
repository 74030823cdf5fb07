using System.Net.Http.Json;
using System.Text.Json.Nodes;
using SupportBot.IntegrationTests.Infrastructure;

namespace SupportBot.IntegrationTests.Teams;

/// <summary>
/// A channel whose settings say "private": the answer goes to the asker's personal chat with Share with the thread,
/// and Share posts it, answered again, into the channel thread the question was asked in.
/// </summary>
public sealed class TeamsPrivateAnswerTests : IAsyncLifetime
{
    private BotFrameworkStandIn _botFramework = null!;
    private BotHost _host = null!;
    private string _file = null!;

    public async Task InitializeAsync()
    {
        _file = Path.Combine(Path.GetTempPath(), $"channels-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(_file, $"channels:\n  teams:{TeamsActivities.Channel}:\n    private: true\n");
        _botFramework = await BotFrameworkStandIn.StartAsync();
        _host = await BotHost.StartAsync(_botFramework.HostSettings($"Channels:File={_file}"));
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _botFramework.DisposeAsync();
        File.Delete(_file);
    }

    private async Task<ConnectorRequest> WaitForAsync(Func<ConnectorRequest, bool> match)
    {
        ConnectorRequest? found = null;
        await RedisServer.WaitUntilAsync(() => Task.FromResult((found = _botFramework.ConnectorRequests.FirstOrDefault(match)) is not null), TimeSpan.FromSeconds(20), "the Connector never received it");
        return found!;
    }

    [Fact]
    public async Task The_answer_goes_to_the_personal_chat_and_share_posts_it_in_the_channel_thread()
    {
        var question = TeamsActivities.ChannelMessage(_botFramework.ServiceUrl, "How do I respond to a dispute?", mentionBot: true);
        using (await TeamsActivities.PostAsync(_host.Client, question, _botFramework.MintToken()))
        {
        }

        // Privately: a new personal conversation, then the answer card there with Share.
        var card = (await WaitForAsync(r => r.Body["attachments"] is JsonArray { Count: > 0 } && r.RawTarget.Contains("new-thread", StringComparison.Ordinal))).Body["attachments"]![0]!["content"]!;
        var share = card["actions"]!.AsArray().Single(a => a!["verb"]?.GetValue<string>() == "answer.share")!;
        var threadId = $"{TeamsActivities.Channel};messageid={question["id"]}";
        Assert.DoesNotContain(_botFramework.ConnectorRequests, r => r.RawTarget.Contains(Uri.EscapeDataString(threadId), StringComparison.Ordinal) && r.Body["attachments"] is not null);

        var invoke = TeamsActivities.Personal(_botFramework.ServiceUrl, string.Empty);
        invoke["type"] = "invoke";
        invoke["name"] = "adaptiveCard/action";
        invoke.Remove("text");
        invoke["value"] = new JsonObject { ["action"] = new JsonObject { ["type"] = "Action.Execute", ["verb"] = "answer.share", ["data"] = share["data"]!.DeepClone() } };
        using (var response = await TeamsActivities.PostAsync(_host.Client, invoke, _botFramework.MintToken()))
        {
            Assert.Equal(200, (await response.Content.ReadFromJsonAsync<JsonObject>())!["statusCode"]!.GetValue<int>());
        }

        var shared = await WaitForAsync(r => r.RawTarget.Contains(Uri.EscapeDataString(threadId), StringComparison.Ordinal) && r.Body.ToJsonString().Contains("Shared by", StringComparison.Ordinal));
        Assert.Equal("POST", shared.Method);
        Assert.Contains("dispute", shared.Body.ToJsonString(), StringComparison.OrdinalIgnoreCase);
    }
}
