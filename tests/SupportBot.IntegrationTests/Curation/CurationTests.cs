using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;
using SupportBot.Core.Answering;
using SupportBot.Host.Endpoints;
using SupportBot.Host.Web;
using SupportBot.IntegrationTests.Infrastructure;
using SupportBot.Redis;

namespace SupportBot.IntegrationTests.Curation;

/// <summary>
/// Source curation on the real host: hidden articles are never cited, boosts reorder what a question
/// finds, stale articles are flagged, the dashboard's curation is for ops leads only, and replicas sharing
/// Redis see each other's changes.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class CurationTests(SharedRedis redis)
{
    private const string Question = "How do I respond to a dispute?";

    private static Task<HttpResponseMessage> CurateAsync(HttpClient client, string articleId, string state) =>
        client.PostAsJsonAsync("/api/dashboard/articles/curation", new { articleId, state });

    private static Task<IReadOnlyList<SearchHit>> SearchAsync(BotHost host, string question, int top = 5) =>
        host.Services.GetRequiredService<IKnowledgeSearch>().SearchAsync(new SearchRequest(question, [], top), CancellationToken.None);

    [Fact]
    public async Task A_hidden_article_is_never_cited_and_the_answer_cites_others()
    {
        await using var host = await BotHost.StartAsync();
        var before = await host.WaitForReplyAsync(await host.SendAsync(Question));
        var top = before.Citations[0].ArticleId;
        Assert.False(string.IsNullOrEmpty(top));

        using (var hidden = await CurateAsync(host.Client, top, "hidden"))
        {
            Assert.Equal(HttpStatusCode.OK, hidden.StatusCode);
            Assert.Equal("hidden", (await hidden.Content.ReadFromJsonAsync<CuratedArticle>())!.State);
        }

        var after = await host.WaitForReplyAsync(await host.SendAsync(Question));
        Assert.NotEmpty(after.Citations);
        Assert.DoesNotContain(after.Citations, c => c.ArticleId == top);

        // The search still returns as many passages as asked for, from the other articles.
        var hits = await SearchAsync(host, Question);
        Assert.Equal(5, hits.Count);
        Assert.DoesNotContain(hits, h => h.ArticleId == top);

        // Reset: it is cited again.
        using (await CurateAsync(host.Client, top, "normal"))
        {
        }

        Assert.Contains(await SearchAsync(host, Question), h => h.ArticleId == top);
    }

    [Fact]
    public async Task A_boost_moves_a_matching_article_up_and_never_brings_in_one_that_does_not_match()
    {
        await using var host = await BotHost.StartAsync("Knowledge:Search:BoostedWeight=10");
        // Twice the passages the answer asks for: the candidates a boost may reorder.
        var before = await SearchAsync(host, Question, 10);
        var first = before[0].ArticleId;
        var runnerUp = before.First(h => h.ArticleId != first).ArticleId;

        using (var boosted = await CurateAsync(host.Client, runnerUp, "boosted"))
        {
            Assert.Equal(HttpStatusCode.OK, boosted.StatusCode);
        }

        var after = await SearchAsync(host, Question);
        Assert.Equal(runnerUp, after[0].ArticleId);

        // An article about something else stays out of the results, however boosted.
        var unrelated = (await SearchAsync(host, "How do I rotate an API key?", 1))[0].ArticleId;
        Assert.DoesNotContain(after, h => h.ArticleId == unrelated);
        using (await CurateAsync(host.Client, unrelated, "boosted"))
        {
        }

        Assert.DoesNotContain(await SearchAsync(host, Question), h => h.ArticleId == unrelated);
    }

    [Fact]
    public async Task Articles_older_than_the_configured_age_are_flagged_in_the_answer_and_on_the_dashboard()
    {
        // The sample articles were updated between May and July 2026; the host's clock is December 2026.
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.Parse("2026-12-01T09:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        await using (var host = await BotHost.StartAsync(time, "Knowledge:StaleAfter=30.00:00:00"))
        {
            var sent = await host.SendAsync(Question);
            var reply = await host.WaitForReplyAsync(sent);
            Assert.NotEmpty(reply.Citations);
            Assert.All(reply.Citations, c =>
            {
                Assert.True(c.Stale);
                Assert.StartsWith("may be outdated: updated 2026-", c.StaleNote, StringComparison.Ordinal);
            });

            // The web chat's page shows the note as the API sends it.
            var raw = await host.Client.GetStringAsync(new Uri($"/chat/api/threads/{sent.ThreadId}/replies?after=0", UriKind.Relative));
            Assert.Contains("\"staleNote\":\"may be outdated: updated 2026-", raw, StringComparison.Ordinal);

            var stale = await host.Client.GetFromJsonAsync<ArticleList>("/api/dashboard/articles?state=stale");
            Assert.True(stale!.Matching > 0);
            Assert.All(stale.Articles, a => Assert.True(a.Stale));
            Assert.Contains(stale.Articles, a => a.Id == reply.Citations[0].ArticleId);
        }

        await using (var fresh = await BotHost.StartAsync(time, "Knowledge:StaleAfter=365.00:00:00"))
        {
            var reply = await fresh.WaitForReplyAsync(await fresh.SendAsync(Question));
            Assert.NotEmpty(reply.Citations);
            Assert.All(reply.Citations, c => Assert.False(c.Stale));
            Assert.Null(reply.Citations[0].StaleNote);
        }
    }

    [Fact]
    public async Task The_dashboard_lists_articles_with_a_filter()
    {
        await using var host = await BotHost.StartAsync();
        var all = await host.Client.GetFromJsonAsync<ArticleList>("/api/dashboard/articles");
        Assert.True(all!.Total > 10);
        Assert.Equal(all.Total, all.Matching);

        var disputes = await host.Client.GetFromJsonAsync<ArticleList>("/api/dashboard/articles?filter=DISPUTE");
        Assert.InRange(disputes!.Matching, 1, all.Total - 1);
        Assert.All(disputes.Articles, a => Assert.Contains("dispute", a.Title + a.Id + a.Source + a.Product, StringComparison.OrdinalIgnoreCase));
        Assert.All(disputes.Articles, a => Assert.Equal("normal", a.State));

        using var unknown = await CurateAsync(host.Client, "no/such-article", "hidden");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        using var badState = await CurateAsync(host.Client, disputes.Articles[0].Id, "deleted");
        Assert.Equal(HttpStatusCode.BadRequest, badState.StatusCode);
    }

    [Fact]
    public async Task Only_signed_in_ops_leads_may_list_or_curate_and_changes_need_the_antiforgery_token_and_are_audited()
    {
        await using var issuer = await OidcIssuerStandIn.StartAsync();
        await using var host = await BotHost.StartAsync(issuer.HostSettings());
        const string article = "disputes-overview-and-lifecycle";

        using (var anonymous = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = host.BaseAddress })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(new Uri("/api/dashboard/articles", UriKind.Relative))).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await CurateAsync(anonymous, article, "hidden")).StatusCode);
        }

        await host.SignInAsync(issuer, new OidcUser("agent-1", "Ada Agent", "SupportBot.Agent"));
        Assert.Equal(HttpStatusCode.Forbidden, (await host.Client.GetAsync(new Uri("/api/dashboard/articles", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await CurateAsync(host.Client, article, "hidden")).StatusCode);

        await host.SignInAsync(issuer, new OidcUser("ops-1", "Olu Ops", "SupportBot.Ops"));
        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync(new Uri("/api/dashboard/articles", UriKind.Relative))).StatusCode);

        var token = host.Client.DefaultRequestHeaders.GetValues(WebAccess.AntiforgeryHeader).Single();
        host.Client.DefaultRequestHeaders.Remove(WebAccess.AntiforgeryHeader);
        Assert.Equal(HttpStatusCode.BadRequest, (await CurateAsync(host.Client, article, "hidden")).StatusCode);
        // The refused change changed nothing.
        Assert.Equal("normal", (await host.Client.GetFromJsonAsync<ArticleList>($"/api/dashboard/articles?filter={article}"))!.Articles.Single(a => a.Id == article).State);

        host.Client.DefaultRequestHeaders.Add(WebAccess.AntiforgeryHeader, token);
        using (var hidden = await CurateAsync(host.Client, article, "hidden"))
        {
            Assert.Equal(HttpStatusCode.OK, hidden.StatusCode);
            var row = (await hidden.Content.ReadFromJsonAsync<CuratedArticle>())!;
            Assert.Equal("hidden", row.State);
            Assert.Equal("Olu Ops (ops-1)", row.By);
        }

        var audit = await host.Client.GetFromJsonAsync<JsonElement>("/api/audit");
        var entry = audit.GetProperty("entries").EnumerateArray().First(e => e.GetProperty("action").GetString() == "curation.hide");
        Assert.Equal(article, entry.GetProperty("subject").GetString());
        Assert.Equal("ops-1", entry.GetProperty("userId").GetString());
        Assert.Equal("web", entry.GetProperty("surface").GetString());
    }

    [Fact]
    public async Task Two_hosts_sharing_redis_see_each_others_curation()
    {
        var prefix = SharedRedis.NewPrefix();
        string[] settings = [$"Redis:Configuration={redis.Configuration}", $"Redis:KeyPrefix={prefix}"];
        await using var first = await BotHost.StartAsync(settings);
        await using var second = await BotHost.StartAsync(settings);
        var top = (await SearchAsync(second, Question))[0].ArticleId;

        using (var hidden = await CurateAsync(first.Client, top, "hidden"))
        {
            Assert.Equal(HttpStatusCode.OK, hidden.StatusCode);
        }

        // The other replica reads curation at most every few seconds.
        await RedisServer.WaitUntilAsync(
            async () => (await SearchAsync(second, Question)).All(h => h.ArticleId != top), TimeSpan.FromSeconds(15), "the second host still cites the hidden article");
        var listed = await second.Client.GetFromJsonAsync<ArticleList>("/api/dashboard/articles?state=hidden");
        Assert.Equal([top], listed!.Articles.Select(a => a.Id));

        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
        Assert.True(await connection.GetDatabase().HashExistsAsync(new RedisKeys(prefix).Curation, top));

        using (await CurateAsync(second.Client, top, "normal"))
        {
        }

        await RedisServer.WaitUntilAsync(
            async () => (await SearchAsync(first, Question)).Any(h => h.ArticleId == top), TimeSpan.FromSeconds(15), "the first host still hides the article");
        Assert.False(await connection.GetDatabase().HashExistsAsync(new RedisKeys(prefix).Curation, top));
    }
}
