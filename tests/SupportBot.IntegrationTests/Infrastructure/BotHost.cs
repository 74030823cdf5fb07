using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using SupportBot.Host;
using SupportBot.Host.Endpoints;
using Microsoft.Extensions.Configuration;
using SupportBot.Knowledge;

namespace SupportBot.IntegrationTests.Infrastructure;

/// <summary>The real SupportBot host on Kestrel, on a free loopback port, configured like a deployment.</summary>
public sealed class BotHost : IAsyncDisposable
{
    /// <summary>
    /// One index for the whole run, built from the sample knowledge base once, in this process, before anything uses
    /// it: test hosts and CLI child processes starting together must not each build the same folder. The folder is new
    /// for every run (a process id alone is reused, and a folder left by an earlier build would be opened as it is)
    /// and removed when the run ends.
    /// </summary>
    public static string SharedIndexPath => SharedIndex.Value;

    private static readonly Lazy<string> SharedIndex = new(BuildSharedIndex, LazyThreadSafetyMode.ExecutionAndPublication);

    private static string BuildSharedIndex()
    {
        var path = Path.Combine(Path.GetTempPath(), "supportbot-it", "index-" + Guid.NewGuid().ToString("N"));
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.Delete(path, recursive: true);
            }
            catch (IOException)
            {
                // A child process may still hold a file; the folder is under the temporary directory.
            }
            catch (UnauthorizedAccessException)
            {
            }
        };
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Knowledge:IndexPath"] = path })
            .Build();
        using var services = new ServiceCollection()
            .AddLogging()
            .AddSupportBotKnowledge(configuration, background: false)
            .BuildServiceProvider();
        var search = services.GetRequiredService<SupportBot.Core.Answering.IKnowledgeSearch>();
        search.SearchAsync(new SupportBot.Core.Answering.SearchRequest("How do I respond to a dispute?", []), CancellationToken.None).GetAwaiter().GetResult();
        return path;
    }

    private readonly WebApplication _app;

    private BotHost(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
        Client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public Uri BaseAddress { get; }

    public HttpClient Client { get; private set; }

    public IServiceProvider Services => _app.Services;

    /// <param name="settings">Configuration as <c>Key=value</c> (e.g. <c>Redis:Configuration=127.0.0.1:6379</c>).</param>
    public static Task<BotHost> StartAsync(params string[] settings) => StartAsync(time: null, settings);

    /// <summary>A host whose clock is <paramref name="time"/> (a <c>FakeTimeProvider</c> the test moves), when given.</summary>
    public static async Task<BotHost> StartAsync(TimeProvider? time, params string[] settings)
    {
        var args = new List<string>
        {
            "--urls=http://127.0.0.1:0",
            $"--Knowledge:IndexPath={SharedIndexPath}",
            "--Logging:LogLevel:Default=Warning",
            // Tests time nothing: hosts skip the JIT warm-up (WarmUpTests turns it on).
            "--WarmUp:Rounds=0",
        };
        args.AddRange(settings.Select(s => "--" + s));
        var app = SupportBotWebApp.Create([.. args], services =>
        {
            Loopback.TrustStandInCertificate(services);
            if (time is not null)
            {
                services.AddSingleton(time);
            }
        });
        await app.StartAsync();
        var host = new BotHost(app, Loopback.AddressOf(app));
        var readiness = string.Empty;
        try
        {
            await RedisServer.WaitUntilAsync(async () =>
            {
                using var response = await host.Client.GetAsync(new Uri("/readyz", UriKind.Relative));
                readiness = await response.Content.ReadAsStringAsync();
                return response.IsSuccessStatusCode;
            }, TimeSpan.FromSeconds(120), "host never became ready");
        }
        catch (TimeoutException)
        {
            await host.DisposeAsync();
            throw new TimeoutException($"host never became ready: {readiness}");
        }

        return host;
    }

    /// <summary>
    /// Signs <paramref name="user"/> in through <paramref name="issuer"/> (the real redirects, cookies kept) and
    /// makes <see cref="Client"/> that browser: a host with Slack or Teams serves its web chat only behind sign-in.
    /// </summary>
    public async Task SignInAsync(OidcIssuerStandIn issuer, OidcUser user)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        issuer.NextUser = user;
        var browser = new HttpClient(new HttpClientHandler { CookieContainer = new System.Net.CookieContainer(), AllowAutoRedirect = true })
        {
            BaseAddress = BaseAddress,
            Timeout = TimeSpan.FromSeconds(30),
        };
        using (var page = await browser.GetAsync(new Uri("/chat", UriKind.Relative)))
        {
            page.EnsureSuccessStatusCode();
        }

        var session = await browser.GetFromJsonAsync<SessionInfo>(new Uri("/api/session", UriKind.Relative));
        browser.DefaultRequestHeaders.Add(SupportBot.Host.Web.WebAccess.AntiforgeryHeader, session!.Antiforgery);
        Client.Dispose();
        Client = browser;
    }

    public async Task<ChatMessageAccepted> SendAsync(string text, string? threadId = null)
    {
        var response = await Client.PostAsJsonAsync("/chat/api/messages", new { threadId, text, user = "tester" });
        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<ChatMessageAccepted>())!;
    }

    public Task<ChatReply> WaitForReplyAsync(ChatMessageAccepted sent) => WaitForReplyAsync(sent, TimeSpan.FromSeconds(20));

    public async Task<ChatReply> WaitForReplyAsync(ChatMessageAccepted sent, TimeSpan timeout)
    {
        ChatReply? found = null;
        await RedisServer.WaitUntilAsync(async () =>
        {
            var replies = await Client.GetFromJsonAsync<ChatReplies>($"/chat/api/threads/{sent.ThreadId}/replies?after=0");
            found = replies!.Replies.FirstOrDefault(r => r.InReplyTo == sent.MessageId);
            return found is not null;
        }, timeout, $"no reply to {sent.MessageId}");
        return found!;
    }

    /// <summary>Stops the host as SIGTERM does (readiness false, the worker drains), without disposing it.</summary>
    public Task StopAsync() => _app.StopAsync();

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
