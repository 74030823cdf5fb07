using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using SupportBot.IntegrationTests.Infrastructure;

namespace SupportBot.IntegrationTests.Teams;

/// <summary>
/// The "Search knowledge" message extension: <c>composeExtension/query</c> invokes shaped like the captured one in
/// tests/fixtures/teams answered with one result per article (an Adaptive Card with title, summary and link, and a
/// thumbnail preview), paged by <c>queryOptions</c>, within the channel's product areas; an empty or unknown query gets a
/// message; an unsigned or foreign-tenant query gets nothing.
/// </summary>
public sealed class TeamsKnowledgeSearchTests : IAsyncLifetime
{
    /// <summary>The tenant of the captured invoke.</summary>
    private const string FixtureTenant = "0fb0a2ff-2539-417a-8514-7f3b695024fd";
    private const string PayoutsChannel = "19:payouts-desk@thread.tacv2";

    private BotFrameworkStandIn _botFramework = null!;
    private BotHost _host = null!;
    private string _channels = null!;

    public async Task InitializeAsync()
    {
        _channels = Path.Combine(Path.GetTempPath(), $"channels-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(_channels, $"channels:\n  teams:{PayoutsChannel}:\n    areas: [payouts]\n");
        _botFramework = await BotFrameworkStandIn.StartAsync();
        _host = await BotHost.StartAsync(_botFramework.HostSettings($"Teams:AllowedTenants={FixtureTenant}", $"Channels:File={_channels}"));
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _botFramework.DisposeAsync();
        File.Delete(_channels);
    }

    /// <summary>The captured invoke (it predates <c>name</c>, which Teams sends today), with our command and query.</summary>
    private static JsonObject Fixture(string? query = null, int? skip = null, int? count = null)
    {
        var invoke = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "fixtures", "teams", "invoke_compose_extension_query.json")))!.AsObject();
        invoke["name"] = "composeExtension/query";
        if (query is not null)
        {
            invoke["value"]!["commandId"] = "searchKnowledge";
            invoke["value"]!["parameters"] = new JsonArray(new JsonObject { ["name"] = "query", ["value"] = query });
            invoke["value"]!["queryOptions"] = new JsonObject { ["skip"] = skip ?? 0, ["count"] = count ?? 25 };
        }

        return invoke;
    }

    /// <summary>Signed for the invoke's own service URL (a Bot Framework host, so it passes the service-host check).</summary>
    private async Task<HttpResponseMessage> PostAsync(JsonObject invoke, bool signed = true) =>
        await TeamsActivities.PostAsync(_host.Client, invoke, signed ? _botFramework.MintToken(adjust: d => d.Claims["serviceurl"] = invoke["serviceUrl"]!.GetValue<string>()) : null);

    private async Task<JsonObject> QueryAsync(JsonObject invoke)
    {
        using var response = await PostAsync(invoke);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("application/json", response.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    private static List<JsonObject> Attachments(JsonObject response)
    {
        var result = response["composeExtension"]!;
        Assert.Equal("result", result["type"]!.GetValue<string>());
        Assert.Equal("list", result["attachmentLayout"]!.GetValue<string>());
        return [.. result["attachments"]!.AsArray().Select(a => a!.AsObject())];
    }

    private static string Title(JsonObject attachment) => attachment["preview"]!["content"]!["title"]!.GetValue<string>();

    [Fact]
    public async Task The_captured_invoke_as_sent_names_a_command_we_do_not_have_and_gets_a_message()
    {
        var response = await QueryAsync(Fixture());

        Assert.Equal("message", response["composeExtension"]!["type"]!.GetValue<string>());
        Assert.Contains("not one SupportBot knows", response["composeExtension"]!["text"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_query_lists_matching_articles_once_each_with_a_card_to_insert_and_a_thumbnail_preview()
    {
        var response = await QueryAsync(Fixture("dispute evidence"));

        var attachments = Attachments(response);
        Assert.InRange(attachments.Count, 2, 25);
        Assert.Equal(attachments.Count, attachments.Select(Title).Distinct(StringComparer.Ordinal).Count());
        Assert.Contains(attachments, a => Title(a).Contains("dispute", StringComparison.OrdinalIgnoreCase));
        var first = attachments[0];
        Assert.Equal("application/vnd.microsoft.card.adaptive", first["contentType"]!.GetValue<string>());
        Assert.Equal("application/vnd.microsoft.card.thumbnail", first["preview"]!["contentType"]!.GetValue<string>());
        Assert.False(string.IsNullOrWhiteSpace(first["preview"]!["content"]!["text"]!.GetValue<string>()));
        var card = first["content"]!;
        Assert.Equal("AdaptiveCard", card["type"]!.GetValue<string>());
        Assert.Equal(Title(first), card["body"]![0]!["text"]!.GetValue<string>());
        var open = card["actions"]![0]!;
        Assert.Equal("Action.OpenUrl", open["type"]!.GetValue<string>());
        Assert.StartsWith("https://kb.paylane.example/", open["url"]!.GetValue<string>(), StringComparison.Ordinal);

        // What goes into the compose box passes the official Adaptive Cards library.
        var (exitCode, output) = await AdaptiveCardValidationTests.ValidateAsync(new JsonArray([.. attachments.Select(a => a["content"]!.DeepClone())]).ToJsonString());
        Assert.True(exitCode == 0, output);
    }

    [Fact]
    public async Task Skip_and_count_page_through_the_articles()
    {
        var all = Attachments(await QueryAsync(Fixture("payout delayed"))).Select(Title).ToList();
        var page1 = Attachments(await QueryAsync(Fixture("payout delayed", skip: 0, count: 2))).Select(Title).ToList();
        var page2 = Attachments(await QueryAsync(Fixture("payout delayed", skip: 2, count: 2))).Select(Title).ToList();

        Assert.True(all.Count >= 4, string.Join(", ", all));
        Assert.Equal(all.Take(2), page1);
        Assert.Equal(all.Skip(2).Take(2), page2);

        // Past the last article (the sample knowledge base has fewer than a hundred): no more.
        var beyond = await QueryAsync(Fixture("payout delayed", skip: 1000, count: 25));
        Assert.Equal("message", beyond["composeExtension"]!["type"]!.GetValue<string>());
        Assert.Equal("No more articles.", beyond["composeExtension"]!["text"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_empty_query_or_the_initial_run_gets_a_hint_and_a_card_number_is_masked_before_searching()
    {
        var empty = await QueryAsync(Fixture("   "));
        Assert.Equal("message", empty["composeExtension"]!["type"]!.GetValue<string>());
        Assert.Contains("Type a few words", empty["composeExtension"]!["text"]!.GetValue<string>(), StringComparison.Ordinal);

        var initial = Fixture("x");
        initial["value"]!["parameters"] = new JsonArray(new JsonObject { ["name"] = "initialRun", ["value"] = "true" });
        var initialRun = await QueryAsync(initial);
        Assert.Equal("message", initialRun["composeExtension"]!["type"]!.GetValue<string>());

        // Only the card number in the query: masked, it matches nothing rather than digits in an article.
        var card = await QueryAsync(Fixture("4000 0566 5566 5556"));
        Assert.DoesNotContain("0566", card.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task In_a_channel_limited_to_product_areas_only_those_articles_are_found()
    {
        var everywhere = Attachments(await QueryAsync(Fixture("failed refund payout"))).Select(Title).ToList();
        var inChannel = Fixture("failed refund payout");
        inChannel["conversation"] = new JsonObject { ["id"] = PayoutsChannel + ";messageid=1760000000999", ["conversationType"] = "channel", ["tenantId"] = FixtureTenant };
        var scoped = Attachments(await QueryAsync(inChannel));

        Assert.Contains(everywhere, t => t.Contains("Refund", StringComparison.Ordinal));
        Assert.NotEmpty(scoped);
        Assert.All(scoped, a => Assert.Contains("payouts", a["content"]!.ToJsonString(), StringComparison.Ordinal));
        Assert.DoesNotContain(scoped, a => Title(a).Contains("Refund", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_a_token_or_from_another_tenant_nothing_is_searched()
    {
        using (var unsigned = await PostAsync(Fixture("dispute evidence"), signed: false))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, unsigned.StatusCode);
            Assert.Empty(await unsigned.Content.ReadAsStringAsync());
        }

        var foreign = Fixture("dispute evidence");
        foreign["channelData"]!["tenant"]!["id"] = BotFrameworkStandIn.Tenant; // not the allowed tenant
        using var refused = await PostAsync(foreign);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Empty(await refused.Content.ReadAsStringAsync());
    }
}
