using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SupportBot.IntegrationTests.Infrastructure;
using SupportBot.Llm;

namespace SupportBot.IntegrationTests.Llm;

/// <summary>The composed IChatClient (provider client, telemetry, logging, timeout) against the stand-in.</summary>
public sealed class ChatClientPipelineTests : IAsyncLifetime
{
    private OpenAiStandIn _model = null!;
    private ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        _model = await OpenAiStandIn.StartAsync();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Llm:Provider"] = "openai",
            ["Llm:Endpoint"] = _model.OpenAiEndpoint,
            ["Llm:ApiKey"] = "k",
            ["Llm:Model"] = "m",
            ["Llm:Timeout"] = "00:00:02",
        }).Build();
        _services = new ServiceCollection().AddLogging().AddSupportBotLlm(configuration).BuildServiceProvider();
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _model.DisposeAsync();
    }

    private IChatClient Chat => _services.GetRequiredService<IChatClient>();

    [Fact]
    public async Task A_completion_comes_back_whole()
    {
        _model.Default = OpenAiStandIn.Answer("Payouts arrive in 2 business days [1].");

        var response = await Chat.GetResponseAsync("When do payouts arrive?");

        Assert.Equal("Payouts arrive in 2 business days [1].", response.Text);
        Assert.False(Assert.Single(_model.Requests).Body["stream"]?.GetValue<bool>() ?? false);
    }

    [Fact]
    public async Task A_streamed_completion_arrives_in_pieces()
    {
        const string content = "Instant payouts arrive within 30 minutes and cost 1% [1].";
        _model.Default = OpenAiStandIn.Answer(content);

        var pieces = new List<string>();
        await foreach (var update in Chat.GetStreamingResponseAsync("How fast are instant payouts?"))
        {
            if (!string.IsNullOrEmpty(update.Text))
            {
                pieces.Add(update.Text);
            }
        }

        Assert.True(pieces.Count > 3);
        Assert.Equal(content, string.Concat(pieces));
        Assert.True(Assert.Single(_model.Requests).Body["stream"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_hung_server_raises_a_timeout()
    {
        _model.Default = OpenAiStandIn.Hang;

        await Assert.ThrowsAsync<TimeoutException>(() => Chat.GetResponseAsync("hello?"));
    }

    [Fact]
    public async Task A_hung_stream_raises_a_timeout()
    {
        _model.Default = OpenAiStandIn.Hang;

        await Assert.ThrowsAsync<TimeoutException>(async () =>
        {
            await foreach (var update in Chat.GetStreamingResponseAsync("hello?"))
            {
                Assert.NotNull(update);
            }
        });
    }
}
