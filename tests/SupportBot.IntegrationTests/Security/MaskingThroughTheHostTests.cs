using System.Net;
using System.Net.Http.Json;
using SupportBot.IntegrationTests.Infrastructure;

namespace SupportBot.IntegrationTests.Security;

/// <summary>Card numbers as agents paste them, through the real host: masked in replies, history and the dashboard.</summary>
public sealed class MaskingThroughTheHostTests : IAsyncLifetime
{
    private BotHost _host = null!;

    public async Task InitializeAsync() => _host = await BotHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Theory]
    [InlineData("refund 25 4242 4242 4242 4242 why was it declined?", "4242 4242 4242 4242")]
    [InlineData("case 12345 4111.1111.1111.1111 declined, exp 12/27 cvv 123", "4111.1111.1111.1111")]
    [InlineData("card 4242\u00A04242\u00A04242\u00A04242/12 123 was declined", "4242\u00A04242")]
    public async Task Pasted_card_numbers_never_reach_the_dashboard(string question, string card)
    {
        var sent = await _host.SendAsync(question);
        await _host.WaitForReplyAsync(sent);

        var dashboard = await _host.Client.GetStringAsync(new Uri("/api/dashboard", UriKind.Relative));
        Assert.DoesNotContain(card, System.Text.RegularExpressions.Regex.Unescape(dashboard), StringComparison.Ordinal);
        Assert.Contains("[card ••••", System.Text.RegularExpressions.Regex.Unescape(dashboard), StringComparison.Ordinal);
        Assert.DoesNotContain("cvv 123", System.Text.RegularExpressions.Regex.Unescape(dashboard), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_question_in_full_width_digits_is_answered_not_a_server_error()
    {
        var response = await _host.Client.PostAsJsonAsync("/chat/api/messages", new { text = "カード ４２４２ ４２４２ ４２４２ ４２４２ が拒否されました why declined?" });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var sent = (await response.Content.ReadFromJsonAsync<SupportBot.Host.Endpoints.ChatMessageAccepted>())!;
        var reply = await _host.WaitForReplyAsync(sent);
        Assert.False(string.IsNullOrEmpty(reply.Text));
    }
}
