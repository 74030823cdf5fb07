using System.Net;
using System.Text.Json;
using SupportBot.IntegrationTests.Infrastructure;

namespace SupportBot.IntegrationTests.Chat;

public sealed class HostEndpointsTests : IAsyncLifetime
{
    private BotHost _host = null!;

    public async Task InitializeAsync() => _host = await BotHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Healthz_answers_while_the_process_serves()
    {
        var response = await _host.Client.GetAsync(new Uri("/healthz", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Readyz_reports_the_in_memory_state_and_the_open_index()
    {
        var response = await _host.Client.GetAsync(new Uri("/readyz", UriKind.Relative));
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ready", body.RootElement.GetProperty("status").GetString());
        Assert.Contains("single process", body.RootElement.GetProperty("checks").GetProperty("state").GetString(), StringComparison.Ordinal);
        Assert.Equal("knowledge index open", body.RootElement.GetProperty("checks").GetProperty("knowledge").GetString());
    }

    [Theory]
    [InlineData("/", "Dashboard")]
    [InlineData("/chat", "id=\"question\"")]
    public async Task Pages_are_served_as_html(string path, string expected)
    {
        var response = await _host.Client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(expected, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/assets/app.css", "text/css")]
    [InlineData("/assets/chat.js", "text/javascript")]
    public async Task Page_assets_are_served_locally(string path, string mediaType)
    {
        var response = await _host.Client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Pages_load_nothing_from_outside_the_host()
    {
        foreach (var path in new[] { "/", "/chat" })
        {
            var html = await _host.Client.GetStringAsync(new Uri(path, UriKind.Relative));
            Assert.DoesNotContain("src=\"http", html, StringComparison.Ordinal);
            Assert.DoesNotContain("href=\"http", html, StringComparison.Ordinal);
        }
    }
}
