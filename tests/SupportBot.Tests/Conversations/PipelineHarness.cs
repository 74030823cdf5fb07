using System.Collections.Concurrent;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SupportBot.Core;
using SupportBot.Core.Conversations;
using SupportBot.Core.Surfaces;
using SupportBot.Knowledge;

namespace SupportBot.Tests.Conversations;

/// <summary>The real core and knowledge index (built from the sample knowledge base) with a surface that records replies.</summary>
internal sealed class PipelineHarness : IDisposable
{
    private readonly string _indexPath = Path.Combine(Path.GetTempPath(), "supportbot-tests", Guid.NewGuid().ToString("N"));

    public PipelineHarness()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Knowledge:IndexPath"] = _indexPath })
            .Build();
        var services = new ServiceCollection()
            .AddLogging(b => b.SetMinimumLevel(LogLevel.Warning))
            .AddSupportBotCore(configuration)
            .AddSupportBotKnowledge(configuration, background: false)
            .AddChatSurface<RecordingSurface>();
        Services = services.BuildServiceProvider();
    }

    public ServiceProvider Services { get; }

    public RecordingSurface Surface => Services.GetRequiredService<RecordingSurface>();

    public ConversationPipeline Pipeline => Services.GetRequiredService<ConversationPipeline>();

    public static InboundMessage Message(string thread, string text, string? id = null) =>
        new(id ?? Guid.NewGuid().ToString("N"), new ConversationRef(RecordingSurface.SurfaceName, "C1", thread), "U1", "Ann", text, DateTimeOffset.UtcNow);

    public async Task<Reply> AskAsync(string thread, string text)
    {
        var message = Message(thread, text);
        await Pipeline.HandleAsync(message, default);
        return Surface.RepliesTo(message.Id).Single();
    }

    public void Dispose()
    {
        Services.Dispose();
        try
        {
            Directory.Delete(_indexPath, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    internal sealed class RecordingSurface : IChatSurface
    {
        public const string SurfaceName = "test";

        public ConcurrentQueue<(InboundMessage To, Reply Reply)> Sent { get; } = new();

        public string Name => SurfaceName;

        public Task SendAsync(InboundMessage inReplyTo, Reply reply, CancellationToken cancellationToken) =>
            SendMarkedAsync(inReplyTo, reply, string.Empty, cancellationToken);

        /// <summary>Marks as given, in the order sent: what the reply outbox reads.</summary>
        public ConcurrentQueue<string> Marks { get; } = new();

        public Task<PostedReply?> SendMarkedAsync(InboundMessage inReplyTo, Reply reply, string mark, CancellationToken cancellationToken)
        {
            Sent.Enqueue((inReplyTo, reply));
            Marks.Enqueue(mark);
            return Task.FromResult<PostedReply?>(new PostedReply(inReplyTo.Conversation.Channel, $"posted-{Sent.Count}"));
        }

        public IReadOnlyList<Reply> RepliesTo(string messageId) => [.. Sent.Where(s => s.To.Id == messageId).Select(s => s.Reply)];
    }
}
