using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SupportBot.Core;
using SupportBot.Core.Conversations;
using SupportBot.Core.Surfaces;
using SupportBot.IntegrationTests.Infrastructure;
using SupportBot.Knowledge;
using SupportBot.Llm;

namespace SupportBot.IntegrationTests.Llm;

/// <summary>A streamed model answer grows in place on a surface that can update replies, then is finalised.</summary>
public sealed class StreamingAnswerTests : IAsyncLifetime
{
    private OpenAiStandIn _model = null!;
    private ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        _model = await OpenAiStandIn.StartAsync();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Knowledge:IndexPath"] = BotHost.SharedIndexPath,
            ["Llm:Provider"] = "openai",
            ["Llm:Endpoint"] = _model.OpenAiEndpoint,
            ["Llm:ApiKey"] = "k",
            ["Llm:Model"] = "m",
        }).Build();
        _services = new ServiceCollection()
            .AddLogging(b => b.SetMinimumLevel(LogLevel.Warning))
            .AddSupportBotLlm(configuration)
            .AddSupportBotCore(configuration)
            .AddSupportBotKnowledge(configuration, background: false)
            .AddChatSurface<StreamingSurface>()
            .BuildServiceProvider();
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _model.DisposeAsync();
    }

    [Fact]
    public async Task The_answer_grows_about_once_a_second_and_ends_with_citations()
    {
        const string content = "Evidence goes in through Dashboard, Payments, Disputes before the Respond by date [1]. Only one submission is allowed [1].";
        _model.Default = OpenAiStandIn.Answer(content, pieceDelay: TimeSpan.FromMilliseconds(120));
        var surface = _services.GetRequiredService<StreamingSurface>();
        var message = new InboundMessage("s1", new ConversationRef(StreamingSurface.SurfaceName, "C1", "T1"), "U1", "Ann", "How do I respond to a dispute?", DateTimeOffset.UtcNow);

        await _services.GetRequiredService<ConversationPipeline>().HandleAsync(message, default);

        var updates = surface.Updates.ToList();
        Assert.True(updates.Count >= 2, $"only {updates.Count} updates");
        for (var i = 1; i < updates.Count; i++)
        {
            Assert.StartsWith(updates[i - 1].Text, updates[i].Text, StringComparison.Ordinal);
            Assert.True(updates[i].At - updates[i - 1].At >= TimeSpan.FromMilliseconds(900), "updated faster than once a second");
        }

        var final = Assert.Single(surface.Completed);
        Assert.Equal(content, final.Text);
        Assert.Single(final.Citations);
        Assert.Empty(surface.Sent);
    }

    [Fact]
    public async Task A_declined_answer_never_shows_the_decline_marker()
    {
        _model.Default = OpenAiStandIn.Answer("NOT_IN_KNOWLEDGE_BASE", pieceDelay: TimeSpan.FromMilliseconds(50));
        var surface = _services.GetRequiredService<StreamingSurface>();
        var message = new InboundMessage("s2", new ConversationRef(StreamingSurface.SurfaceName, "C1", "T2"), "U1", "Ann", "How do I respond to a dispute from 1970?", DateTimeOffset.UtcNow);

        await _services.GetRequiredService<ConversationPipeline>().HandleAsync(message, default);

        Assert.DoesNotContain(surface.Updates, u => u.Text.Contains("NOT_IN", StringComparison.Ordinal));
        Assert.False(Assert.Single(surface.Completed).Confident);
    }

    internal sealed class StreamingSurface : IChatSurface, IStreamingReply
    {
        public const string SurfaceName = "streaming";
        private readonly Stopwatch _clock = Stopwatch.StartNew();

        public string Name => SurfaceName;

        public ConcurrentQueue<(string Text, TimeSpan At)> Updates { get; } = new();

        public ConcurrentQueue<Reply> Completed { get; } = new();

        public ConcurrentQueue<Reply> Sent { get; } = new();

        public Task SendAsync(InboundMessage inReplyTo, Reply reply, CancellationToken cancellationToken)
        {
            Sent.Enqueue(reply);
            return Task.CompletedTask;
        }

        public Task<IStreamingReply?> BeginStreamingAsync(InboundMessage inReplyTo, CancellationToken cancellationToken) =>
            Task.FromResult<IStreamingReply?>(this);

        public Task UpdateAsync(string partialText, CancellationToken cancellationToken)
        {
            Updates.Enqueue((partialText, _clock.Elapsed));
            return Task.CompletedTask;
        }

        public Task CompleteAsync(Reply reply, CancellationToken cancellationToken)
        {
            Completed.Enqueue(reply);
            return Task.CompletedTask;
        }
    }
}
