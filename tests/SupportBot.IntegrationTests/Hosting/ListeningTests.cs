using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using SupportBot.Host;
using SupportBot.IntegrationTests.Infrastructure;

namespace SupportBot.IntegrationTests.Hosting;

/// <summary>The host listens where the platform says, the ways ASP.NET Core reads it; its local default only when nothing does.</summary>
public sealed class ListeningTests
{
    [Theory]
    [InlineData("--http_ports={0}")] // ASPNETCORE_HTTP_PORTS, as the .NET container images set it
    [InlineData("--urls=http://127.0.0.1:{0}")] // ASPNETCORE_URLS
    [InlineData("--Kestrel:Endpoints:Http:Url=http://127.0.0.1:{0}")]
    public async Task The_host_listens_where_the_deployment_says(string setting)
    {
        var port = FreePort();
        await using var app = SupportBotWebApp.Create(
        [
            string.Format(System.Globalization.CultureInfo.InvariantCulture, setting, port),
            $"--Knowledge:IndexPath={BotHost.SharedIndexPath}",
            "--WarmUp:Rounds=0",
            "--Logging:LogLevel:Default=Warning",
        ]);
        await app.StartAsync();

        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        using var health = await client.GetAsync(new Uri("/healthz", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.DoesNotContain(app.Urls, u => u.Contains(":5080", StringComparison.Ordinal));
        await app.StopAsync();
    }

    [Theory]
    [InlineData(new string[0], false)]
    [InlineData(new[] { "urls=http://+:8080" }, true)]
    [InlineData(new[] { "http_ports=8080" }, true)]
    [InlineData(new[] { "https_ports=8443" }, true)]
    [InlineData(new[] { "Kestrel:Endpoints:Https:Url=https://+:8443" }, true)]
    [InlineData(new[] { "Kestrel:Limits:MaxRequestBodySize=10" }, false)]
    public void Only_a_deployment_that_says_nothing_gets_the_local_default(string[] settings, bool configured)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => s.Split('=', 2)).Select(p => new KeyValuePair<string, string?>(p[0], p[1])))
            .Build();

        Assert.Equal(configured, SupportBotWebApp.ListeningIsConfigured(configuration));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
