using System.Text.Json;
using SupportBot.IntegrationTests.Infrastructure;
using static SupportBot.IntegrationTests.Slack.SlackRequests;

namespace SupportBot.IntegrationTests.Slack;

/// <summary>
/// The channels file over real Slack HTTP: modes (answer every new post, mention only, off), knowledge scope by
/// product area, private-first answers with Share, the daily cap, the group tagged when unanswered, who may ask,
/// and a changed file applying without a restart.
/// </summary>
public sealed class SlackChannelPolicyTests : IAsyncLifetime
{
    private const string Answering = "C0ANSWER";
    private const string Quiet = "C0OFF";
    private const string Scoped = "C0PAYOUTS";
    private const string ThreadsOnly = "C0THREADSONLY";
    private const string Private = "C0PRIVATE";
    private const string Capped = "C0CAPPED";
    private const string Members = "C0MEMBERS";

    private SlackApiStandIn _api = null!;
    private BotHost _bot = null!;
    private string _file = null!;

    private static string Yaml(string answeringMode = "answer") => $$"""
        defaults:
          mode: mention
        channels:
          slack:{{Answering}}:
            name: support-all
            mode: {{answeringMode}}
            unansweredTag: S0PAYOPS
          slack:{{Quiet}}:
            mode: off
          slack:{{Scoped}}:
            areas: [payouts]
          slack:{{ThreadsOnly}}:
            sources: [past-threads]
          slack:{{Private}}:
            private: true
          slack:{{Capped}}:
            dailyCap: 1
          slack:{{Members}}:
            allowedGroups: [S0SUPPORT]
        """;

    public async Task InitializeAsync()
    {
        _file = Path.Combine(Directory.CreateTempSubdirectory("supportbot-channels-").FullName, "channels.yaml");
        await File.WriteAllTextAsync(_file, Yaml());
        _api = await SlackApiStandIn.StartAsync();
        _api.UserGroups["S0SUPPORT"] = ["UMEMBER"];
        _bot = await BotHost.StartAsync(Settings(_api, $"Channels:File={_file}", "Channels:ReloadInterval=00:00:01"));
    }

    public async Task DisposeAsync()
    {
        await _bot.DisposeAsync();
        await _api.DisposeAsync();
        Directory.Delete(Path.GetDirectoryName(_file)!, recursive: true);
    }

    private async Task PostAsync(System.Text.Json.Nodes.JsonObject ev)
    {
        using var response = await _bot.Client.SendAsync(Event(Envelope(ev)));
        response.EnsureSuccessStatusCode();
    }

    private Task<IReadOnlyList<SlackCall>> PostsInAsync(string channel, string thread, string method = "chat.postMessage", int count = 1) =>
        _api.WaitForAsync(method, c => c.Field("channel") == channel && c.Field("thread_ts") == thread, count);

    private async Task AssertNothingPostedAsync(string channel)
    {
        await Task.Delay(1_000);
        Assert.DoesNotContain(_api.Calls, c => c.Method is "chat.postMessage" or "chat.postEphemeral" && c.Field("channel") == channel);
    }

    [Fact]
    public async Task In_answer_mode_a_new_post_is_answered_without_a_mention_and_elsewhere_it_is_not()
    {
        var ts = NextTs();
        await PostAsync(Message("How do I respond to a dispute?", ts, channel: Answering));
        Assert.Contains("dispute", (await PostsInAsync(Answering, ts)).Single().Field("text")!, StringComparison.OrdinalIgnoreCase);

        await PostAsync(Message("How do I respond to a dispute?", NextTs(), channel: Scoped)); // mention mode (the defaults)
        await AssertNothingPostedAsync(Scoped);
    }

    [Fact]
    public async Task An_unanswered_question_tags_the_channels_group()
    {
        var ts = NextTs();
        await PostAsync(Mention("What is the capital of France?", ts, channel: Answering));

        var post = (await PostsInAsync(Answering, ts)).Single();
        Assert.Contains("<!subteam^S0PAYOPS>", post.Field("text")!, StringComparison.Ordinal);
        Assert.Contains(post.Json.GetProperty("blocks").EnumerateArray(),
            b => b.TryGetProperty("text", out var t) && t.GetProperty("text").GetString()!.StartsWith("<!subteam^S0PAYOPS>", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Where_the_bot_is_off_even_a_mention_is_left_alone()
    {
        await PostAsync(Mention("How do I respond to a dispute?", NextTs(), channel: Quiet));
        await AssertNothingPostedAsync(Quiet);
    }

    [Fact]
    public async Task A_scoped_channel_answers_from_its_product_areas_only()
    {
        var ts = NextTs();
        await PostAsync(Mention("Why is a payout delayed?", ts, channel: Scoped));

        var text = (await PostsInAsync(Scoped, ts)).Single().Field("text")!;
        var links = System.Text.RegularExpressions.Regex.Matches(text, @"https://kb\.paylane\.example/([a-z-]+)/").Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(links);
        Assert.All(links, area => Assert.Equal("payouts", area));
    }

    [Fact]
    public async Task A_channel_scoped_to_sources_cites_nothing_from_others()
    {
        var ts = NextTs();
        await PostAsync(Mention("Why is a payout delayed?", ts, channel: ThreadsOnly));

        var text = (await PostsInAsync(ThreadsOnly, ts)).Single().Field("text")!;
        Assert.DoesNotContain("kb.paylane.example", text, StringComparison.Ordinal); // no past threads kept yet: nothing to cite
        Assert.StartsWith("I couldn't find anything", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_private_answer_goes_to_the_asker_and_share_posts_it_to_the_thread()
    {
        var ts = NextTs();
        await PostAsync(Mention("How do instant payouts work?", ts, channel: Private));

        var ephemeral = (await PostsInAsync(Private, ts, "chat.postEphemeral")).Single();
        Assert.Equal("UAGENT01", ephemeral.Field("user"));
        var share = ephemeral.Json.GetProperty("blocks").EnumerateArray().Single(b => b.GetProperty("type").GetString() == "actions")
            .GetProperty("elements").EnumerateArray().Single(e => e.GetProperty("action_id").GetString() == "answer.share");
        Assert.DoesNotContain(_api.Calls, c => c.Method == "chat.postMessage" && c.Field("channel") == Private);

        var click = new System.Text.Json.Nodes.JsonObject
        {
            ["type"] = "block_actions",
            ["team"] = new System.Text.Json.Nodes.JsonObject { ["id"] = "T0001" },
            ["user"] = new System.Text.Json.Nodes.JsonObject { ["id"] = "UAGENT01", ["username"] = "agent", ["team_id"] = "T0001" },
            ["container"] = new System.Text.Json.Nodes.JsonObject { ["type"] = "message", ["message_ts"] = NextTs(), ["channel_id"] = Private, ["is_ephemeral"] = true },
            ["channel"] = new System.Text.Json.Nodes.JsonObject { ["id"] = Private },
            ["actions"] = new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject { ["action_id"] = "answer.share", ["value"] = share.GetProperty("value").GetString(), ["type"] = "button" }),
        };
        using (var response = await _bot.Client.SendAsync(Interaction(click)))
        {
            response.EnsureSuccessStatusCode();
        }

        var shared = (await PostsInAsync(Private, ts)).Single();
        Assert.StartsWith("Shared by agent:", shared.Field("text"), StringComparison.Ordinal);
        Assert.Contains("instant", shared.Field("text")!, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Past_the_daily_cap_the_asker_is_told_instead_of_answered()
    {
        var first = NextTs();
        await PostAsync(Mention("How do I respond to a dispute?", first, channel: Capped));
        Assert.Single(await PostsInAsync(Capped, first));

        var second = NextTs();
        await PostAsync(Mention("Why is a payout delayed?", second, channel: Capped));
        var notice = (await PostsInAsync(Capped, second, "chat.postEphemeral")).Single();
        Assert.Contains("1 answers for today", notice.Field("text")!, StringComparison.Ordinal);
        Assert.Single(_api.Calls, c => c.Method == "chat.postMessage" && c.Field("channel") == Capped);
    }

    [Fact]
    public async Task Only_members_of_the_channels_groups_are_answered()
    {
        var outsider = NextTs();
        await PostAsync(Mention("How do I respond to a dispute?", outsider, channel: Members));
        Assert.Contains("members of its support groups", (await PostsInAsync(Members, outsider, "chat.postEphemeral")).Single().Field("text")!, StringComparison.Ordinal);

        var member = NextTs();
        var asked = Mention("How do I respond to a dispute?", member, channel: Members);
        asked["user"] = "UMEMBER";
        await PostAsync(asked);
        Assert.Single(await PostsInAsync(Members, member));
    }

    [Fact]
    public async Task A_changed_file_applies_without_a_restart_and_a_broken_one_is_refused()
    {
        await File.WriteAllTextAsync(_file, Yaml(answeringMode: "off"));
        File.SetLastWriteTimeUtc(_file, DateTime.UtcNow.AddSeconds(5));
        await Task.Delay(2_500);
        await PostAsync(Mention("How do I respond to a dispute?", NextTs(), channel: Answering));
        await AssertNothingPostedAsync(Answering);

        // A typo keeps the last good version in force.
        await File.WriteAllTextAsync(_file, Yaml(answeringMode: "answer").Replace("dailyCap", "dailyCapp", StringComparison.Ordinal));
        File.SetLastWriteTimeUtc(_file, DateTime.UtcNow.AddSeconds(10));
        await Task.Delay(2_500);
        await PostAsync(Mention("How do I respond to a dispute?", NextTs(), channel: Answering));
        await AssertNothingPostedAsync(Answering);
    }
}
