using System.Net;
using SupportBot.IntegrationTests.Infrastructure;

namespace SupportBot.IntegrationTests.Analytics;

/// <summary>Analytics behind OpenID Connect sign-in: ops leads only, like the dashboard.</summary>
public sealed class AnalyticsAccessTests : IAsyncLifetime
{
    private static readonly string[] Paths = ["/analytics", "/api/analytics", "/api/analytics.csv?section=gaps"];

    private OidcIssuerStandIn _issuer = null!;
    private BotHost _host = null!;

    public async Task InitializeAsync()
    {
        _issuer = await OidcIssuerStandIn.StartAsync();
        _host = await BotHost.StartAsync(_issuer.HostSettings());
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _issuer.DisposeAsync();
    }

    [Fact]
    public async Task Anonymous_callers_are_sent_to_sign_in_or_refused()
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = _host.BaseAddress };

        using var page = await client.GetAsync(new Uri("/analytics", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith($"{_issuer.Issuer}/authorize?", page.Headers.Location!.ToString(), StringComparison.Ordinal);
        foreach (var api in Paths.Skip(1))
        {
            using var response = await client.GetAsync(new Uri(api, UriKind.Relative));
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        // The page is not served as a static file around its access rule.
        using var raw = await client.GetAsync(new Uri("/analytics.html", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, raw.StatusCode);
    }

    [Fact]
    public async Task Agents_are_refused_and_ops_leads_are_served()
    {
        await _host.SignInAsync(_issuer, new OidcUser("agent-1", "Ada Agent", "SupportBot.Agent"));
        foreach (var path in Paths)
        {
            using var response = await _host.Client.GetAsync(new Uri(path, UriKind.Relative));
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }

        await _host.SignInAsync(_issuer, new OidcUser("ops-1", "Olu Ops", "SupportBot.Ops"));
        foreach (var path in Paths)
        {
            using var response = await _host.Client.GetAsync(new Uri(path, UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }
}
