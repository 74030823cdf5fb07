using System.Text.Json;
using System.Text.Json.Nodes;
using SupportBot.IntegrationTests.Infrastructure;
using static SupportBot.IntegrationTests.Slack.SlackRequests;

namespace SupportBot.IntegrationTests.Slack;

/// <summary>
/// Curation from an answer's menu: the "Curate sources" message shortcut on one of the bot's answers opens, for
/// members of <c>Curation:ChatGroups</c>, a form listing the articles it cited; hiding one keeps it out of the next
/// answer. Others are told privately that it is for curators.
/// </summary>
public sealed class SlackCurationShortcutTests : IAsyncLifetime
{
    private SlackApiStandIn _api = null!;
    private BotHost _bot = null!;

    public async Task InitializeAsync()
    {
        _api = await SlackApiStandIn.StartAsync();
        _api.UserGroups["S0CURATORS"] = ["UCURATOR"];
        _bot = await BotHost.StartAsync(Settings(_api, "Curation:ChatGroups=S0CURATORS"));
    }

    public async Task DisposeAsync()
    {
        await _bot.DisposeAsync();
        await _api.DisposeAsync();
    }

    private async Task SendAsync(HttpRequestMessage request)
    {
        using (request)
        {
            using var response = await _bot.Client.SendAsync(request);
            response.EnsureSuccessStatusCode();
        }
    }

    private async Task<SlackCall> AskAsync(string question)
    {
        var ts = NextTs();
        await SendAsync(Event(Envelope(Mention(question, ts))));
        return (await _api.WaitForAsync("chat.postMessage", c => c.Field("thread_ts") == ts))[0];
    }

    private JsonObject Shortcut(SlackCall answer, string user)
    {
        var payload = MessageShortcut("supportbot.curate", answer.Field("text")!, answer.Answer!["ts"]!.GetValue<string>(), responseUrl: _api.ResponseUrl);
        payload["user"] = new JsonObject { ["id"] = user, ["name"] = user.ToLowerInvariant() };
        payload["message"]!["blocks"] = JsonNode.Parse(answer.Json.GetProperty("blocks").GetRawText());
        return payload;
    }

    private static List<string> CitedUrls(SlackCall answer) =>
        [.. System.Text.RegularExpressions.Regex.Matches(answer.Field("text")!, @"https://kb\.paylane\.example/[a-z0-9/-]+").Select(m => m.Value)];

    [Fact]
    public async Task A_curator_hides_a_cited_article_from_the_answer_and_the_next_answer_leaves_it_out()
    {
        var first = await AskAsync("How do I respond to a dispute?");
        var cited = CitedUrls(first);
        Assert.NotEmpty(cited);

        await SendAsync(Interaction(Shortcut(first, "UCURATOR")));
        var view = View((await _api.WaitForAsync("views.open", _ => true))[0]);
        Assert.Equal("curate_sources", view.GetProperty("callback_id").GetString());
        var option = Element(view, "article").GetProperty("options")[0];
        var title = option.GetProperty("text").GetProperty("text").GetString()!;

        var submission = new JsonObject
        {
            ["type"] = "view_submission",
            ["team"] = new JsonObject { ["id"] = "T0001" },
            ["user"] = new JsonObject { ["id"] = "UCURATOR", ["username"] = "ucurator", ["team_id"] = "T0001" },
            ["view"] = new JsonObject
            {
                ["id"] = "VCURATE1",
                ["callback_id"] = "curate_sources",
                ["private_metadata"] = view.GetProperty("private_metadata").GetString(),
                ["state"] = new JsonObject
                {
                    ["values"] = new JsonObject
                    {
                        ["article"] = new JsonObject { ["article"] = new JsonObject { ["type"] = "static_select", ["selected_option"] = new JsonObject { ["value"] = option.GetProperty("value").GetString() } } },
                        ["state"] = new JsonObject { ["state"] = new JsonObject { ["type"] = "radio_buttons", ["selected_option"] = new JsonObject { ["value"] = "hidden" } } },
                    },
                },
            },
        };
        using (var response = await _bot.Client.SendAsync(Interaction(submission)))
        {
            Assert.Equal(string.Empty, await response.Content.ReadAsStringAsync()); // closes the modal
        }

        var again = await AskAsync("How do I respond to a dispute?");
        Assert.DoesNotContain(title, again.Field("text")!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Someone_outside_the_curator_groups_is_told_privately_and_no_form_opens()
    {
        var answer = await AskAsync("Why is a payout delayed?");

        await SendAsync(Interaction(Shortcut(answer, "UAGENT01")));

        await RedisServer.WaitUntilAsync(() => Task.FromResult(_api.ResponseUrlPosts.Count > 0), TimeSpan.FromSeconds(10), "nobody was told");
        Assert.Contains("curators", _api.ResponseUrlPosts[0]["text"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(_api.CallsTo("views.open"));
    }
}
