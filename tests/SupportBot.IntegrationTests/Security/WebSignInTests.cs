using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SupportBot.Host.Endpoints;
using SupportBot.Host.Web;
using SupportBot.IntegrationTests.Infrastructure;
using SupportBot.IntegrationTests.Slack;

namespace SupportBot.IntegrationTests.Security;

/// <summary>
/// The web chat and the dashboard behind OpenID Connect: the real host, a local issuer speaking the protocol,
/// and a browser-like client that follows the real redirects and keeps cookies.
/// </summary>
public sealed class WebSignInTests : IAsyncLifetime
{
    private static readonly OidcUser Agent = new("agent-1", "Ada Agent", "SupportBot.Agent");
    private static readonly OidcUser OtherAgent = new("agent-2", "Ben Agent", "SupportBot.Agent");
    private static readonly OidcUser OpsLead = new("ops-1", "Olu Ops", "SupportBot.Ops");

    private OidcIssuerStandIn _issuer = null!;
    private BotHost _host = null!;

    public async Task InitializeAsync()
    {
        _issuer = await OidcIssuerStandIn.StartAsync();
        _host = await BotHost.StartAsync(_issuer.HostSettings("Web:ChatRequestsPerMinute=5"));
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _issuer.DisposeAsync();
    }

    /// <summary>A browser: follows redirects between the host and the issuer, keeps cookies.</summary>
    private sealed class Browser(BotHost host) : IDisposable
    {
        private readonly HttpClient _client = new(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = true })
        {
            BaseAddress = host.BaseAddress,
        };

        public string? Antiforgery { get; private set; }

        public HttpClient Client => _client;

        public async Task SignInAsync()
        {
            using var page = await _client.GetAsync(new Uri("/chat", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Equal("/chat", page.RequestMessage!.RequestUri!.AbsolutePath); // back on our host, signed in
            await RefreshSessionAsync();
        }

        public async Task<SessionInfo> RefreshSessionAsync()
        {
            var session = (await _client.GetFromJsonAsync<SessionInfo>(new Uri("/api/session", UriKind.Relative)))!;
            Antiforgery = session.Antiforgery;
            return session;
        }

        public Task<HttpResponseMessage> PostAsync(string path, object body, bool withToken = true) => SendAsync(HttpMethod.Post, path, body, withToken);

        public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, object body, bool withToken = true)
        {
            using var request = new HttpRequestMessage(method, path) { Content = JsonContent.Create(body) };
            if (withToken && Antiforgery is not null)
            {
                request.Headers.Add(WebAccess.AntiforgeryHeader, Antiforgery);
            }

            return await _client.SendAsync(request);
        }

        public void Dispose() => _client.Dispose();
    }

    private async Task<Browser> SignedInAsync(OidcUser user)
    {
        _issuer.NextUser = user;
        var browser = new Browser(_host);
        await browser.SignInAsync();
        return browser;
    }

    private static async Task<ChatReply> ReplyToAsync(Browser browser, ChatMessageAccepted sent)
    {
        ChatReply? found = null;
        await RedisServer.WaitUntilAsync(async () =>
        {
            var replies = await browser.Client.GetFromJsonAsync<ChatReplies>($"/chat/api/threads/{sent.ThreadId}/replies?after=0");
            found = replies!.Replies.FirstOrDefault(r => r.InReplyTo == sent.MessageId);
            return found is not null;
        }, TimeSpan.FromSeconds(20), "no reply");
        return found!;
    }

    [Fact]
    public async Task An_anonymous_page_request_is_sent_to_the_issuer_and_an_anonymous_api_call_gets_401()
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = _host.BaseAddress };

        using var page = await client.GetAsync(new Uri("/chat", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith($"{_issuer.Issuer}/authorize?", page.Headers.Location!.ToString(), StringComparison.Ordinal);
        Assert.Contains("code_challenge_method=S256", page.Headers.Location!.Query, StringComparison.Ordinal);

        foreach (var api in new[] { "/chat/api/threads/abc/replies", "/api/dashboard", "/api/audit", "/api/session", "/api/channels", "/api/articles" })
        {
            using var response = await client.GetAsync(new Uri(api, UriKind.Relative));
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        using var put = await client.PutAsJsonAsync("/api/channels", new { text = "defaults:\n  mode: off\n" });
        Assert.Equal(HttpStatusCode.Unauthorized, put.StatusCode);

        using var post = await client.PostAsJsonAsync("/chat/api/messages", new { text = "How do I respond to a dispute?" });
        Assert.Equal(HttpStatusCode.Unauthorized, post.StatusCode);

        // The pages are not served as static files around their access rules.
        using var raw = await client.GetAsync(new Uri("/dashboard.html", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, raw.StatusCode);
    }

    [Fact]
    public async Task An_agent_chats_as_their_signed_in_identity_whatever_name_the_page_sends()
    {
        using var agent = await SignedInAsync(Agent);
        using var posted = await agent.PostAsync("/chat/api/messages", new { text = "How do I respond to a dispute?", user = "Mallory Impostor" });
        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        var sent = (await posted.Content.ReadFromJsonAsync<ChatMessageAccepted>())!;
        var reply = await ReplyToAsync(agent, sent);
        Assert.Equal("answer", reply.Kind);

        using var ops = await SignedInAsync(OpsLead);
        var dashboard = await ops.Client.GetFromJsonAsync<JsonElement>("/api/dashboard");
        var asked = dashboard.GetProperty("recent").EnumerateArray().First(r => r.GetProperty("question").GetString() == "How do I respond to a dispute?");
        Assert.Equal("Ada Agent", asked.GetProperty("user").GetString());
        Assert.DoesNotContain("Mallory", dashboard.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Agents_may_not_see_the_dashboard_or_the_audit_trail_and_ops_leads_may()
    {
        using var agent = await SignedInAsync(Agent);
        Assert.Equal(HttpStatusCode.Forbidden, (await agent.Client.GetAsync(new Uri("/api/dashboard", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await agent.Client.GetAsync(new Uri("/api/audit", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await agent.Client.GetAsync(new Uri("/", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await agent.Client.GetAsync(new Uri("/channels", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await agent.Client.GetAsync(new Uri("/api/articles", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await agent.SendAsync(HttpMethod.Put, "/api/channels", new { text = "defaults:\n  mode: off\n" })).StatusCode);
        var agentSession = await agent.RefreshSessionAsync();
        Assert.True(agentSession.Chat);
        Assert.False(agentSession.Dashboard);

        using var ops = await SignedInAsync(OpsLead);
        Assert.Equal(HttpStatusCode.OK, (await ops.Client.GetAsync(new Uri("/", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await ops.Client.GetAsync(new Uri("/api/dashboard", UriKind.Relative))).StatusCode);
        var audit = await ops.Client.GetFromJsonAsync<JsonElement>("/api/audit");
        Assert.Equal(JsonValueKind.Array, audit.GetProperty("entries").ValueKind);
        Assert.Equal("Olu Ops", (await ops.RefreshSessionAsync()).Name);

        // Channel settings: ops leads save them (with the antiforgery token), the audit trail names who.
        Assert.Equal(HttpStatusCode.BadRequest, (await ops.SendAsync(HttpMethod.Put, "/api/channels", new { text = "defaults:\n  mode: off\n" }, withToken: false)).StatusCode);
        using var saved = await ops.SendAsync(HttpMethod.Put, "/api/channels", new { text = "channels:\n  slack:C1:\n    mode: answer\n" });
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.Equal("Olu Ops", (await saved.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("savedBy").GetString());
        var trail = await ops.Client.GetFromJsonAsync<JsonElement>("/api/audit");
        Assert.Contains(trail.GetProperty("entries").EnumerateArray(), e => e.GetProperty("action").GetString() == "channels.save" && e.GetProperty("userName").GetString() == "Olu Ops");
    }

    [Fact]
    public async Task A_user_without_a_supportbot_role_is_refused()
    {
        using var stranger = await SignedInOrRefusedAsync(new OidcUser("guest-1", "Gus Guest", "Some.Other.Role"));
        Assert.Equal(HttpStatusCode.Forbidden, (await stranger.Client.GetAsync(new Uri("/chat/api/threads/abc/replies", UriKind.Relative))).StatusCode);
    }

    private async Task<Browser> SignedInOrRefusedAsync(OidcUser user)
    {
        _issuer.NextUser = user;
        var browser = new Browser(_host);
        using var page = await browser.Client.GetAsync(new Uri("/chat", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Forbidden, page.StatusCode);
        return browser;
    }

    [Fact]
    public async Task Another_users_thread_cannot_be_read()
    {
        using var agent = await SignedInAsync(Agent);
        using var posted = await agent.PostAsync("/chat/api/messages", new { text = "case 12345 please" });
        var sent = (await posted.Content.ReadFromJsonAsync<ChatMessageAccepted>())!;
        await ReplyToAsync(agent, sent);

        using var other = await SignedInAsync(OtherAgent);
        var theirs = await other.Client.GetFromJsonAsync<ChatReplies>($"/chat/api/threads/{sent.ThreadId}/replies?after=0");
        Assert.Empty(theirs!.Replies);
    }

    [Fact]
    public async Task A_post_without_the_antiforgery_token_is_refused()
    {
        using var agent = await SignedInAsync(Agent);
        using var response = await agent.PostAsync("/chat/api/messages", new { text = "How do I respond to a dispute?" }, withToken: false);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Chat_posts_are_rate_limited_per_user()
    {
        using var agent = await SignedInAsync(Agent);
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            using var response = await agent.PostAsync("/chat/api/messages", new { text = $"question {i} about payouts" });
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.Equal("60", response.Headers.RetryAfter?.ToString());
            }
        }

        Assert.Equal(5, statuses.Count(s => s == HttpStatusCode.Accepted));
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
    }

    [Fact]
    public async Task Pages_and_apis_carry_security_headers_and_cookies_are_http_only()
    {
        using var agent = await SignedInAsync(Agent);
        using var page = await agent.Client.GetAsync(new Uri("/chat", UriKind.Relative));
        Assert.Contains("default-src 'self'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal("nosniff", page.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", page.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("no-referrer", page.Headers.GetValues("Referrer-Policy").Single());

        // A fresh sign-in's cookie is HttpOnly and SameSite.
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() }) { BaseAddress = _host.BaseAddress };
        using var challenge = await client.GetAsync(new Uri("/chat", UriKind.Relative));
        using var authorize = await client.GetAsync(challenge.Headers.Location);
        using var callback = await client.GetAsync(authorize.Headers.Location);
        var session = callback.Headers.GetValues("Set-Cookie").First(c => c.StartsWith("__supportbot=", StringComparison.Ordinal));
        Assert.Contains("httponly", session, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", session, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task With_slack_configured_and_no_sign_in_the_web_surfaces_are_off()
    {
        await using var slack = await SlackApiStandIn.StartAsync();
        await using var host = await BotHost.StartAsync(SlackRequests.Settings(slack));

        Assert.Equal(WebAccessMode.Off, host.Services.GetRequiredService<WebAccess>().Mode);
        foreach (var path in new[] { "/chat", "/", "/api/dashboard", "/api/audit", "/chat/api/threads/abc/replies", "/api/session", "/channels", "/api/channels", "/articles", "/api/articles" })
        {
            using var response = await host.Client.GetAsync(new Uri(path, UriKind.Relative));
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }

        using var ready = await host.Client.GetAsync(new Uri("/readyz", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }

    [Fact]
    public async Task Each_web_surface_can_be_switched_off()
    {
        await using var host = await BotHost.StartAsync("Web:Dashboard:Enabled=false");
        Assert.Equal(HttpStatusCode.NotFound, (await host.Client.GetAsync(new Uri("/api/dashboard", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync(new Uri("/chat", UriKind.Relative))).StatusCode);

        await using var noChat = await BotHost.StartAsync([.. _issuer.HostSettings("Web:Chat:Enabled=false")]);
        Assert.Equal(HttpStatusCode.NotFound, (await noChat.Client.GetAsync(new Uri("/chat/api/threads/abc/replies", UriKind.Relative))).StatusCode);
    }
}
