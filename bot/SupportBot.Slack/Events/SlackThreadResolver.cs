using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SupportBot.Core.Conversations;
using SupportBot.Core.Queue;
using SupportBot.Core.Redaction;
using SupportBot.Slack.WebApi;

namespace SupportBot.Slack.Events;

/// <summary>
/// Decides thread replies the state store knows nothing about: reads the thread with
/// <c>conversations.replies</c>; if the bot has spoken in it, the thread's earlier turns become the
/// conversation's history (masked) and the reply is answered like any follow-up.
/// </summary>
public sealed partial class SlackThreadResolver(
    SlackApiClient api,
    SlackBotIdentity identity,
    IConversationStore conversations,
    InboundGateway gateway,
    ILogger<SlackThreadResolver> logger) : BackgroundService
{
    // Bounded: under a flood of thread chatter, extra checks are dropped rather than queued forever.
    private readonly Channel<InboundMessage> _pending = Channel.CreateBounded<InboundMessage>(
        new BoundedChannelOptions(1_000) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    public bool TryDefer(InboundMessage message) => _pending.Writer.TryWrite(message);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var message in _pending.Reader.ReadAllAsync(stoppingToken))
            {
                try
                {
                    await ResolveAsync(message, stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogFailed(logger, ex, message.Conversation.Channel);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    internal async Task<bool> ResolveAsync(InboundMessage message, CancellationToken cancellationToken)
    {
        var me = await identity.EnsureAsync(cancellationToken);
        if (me is null)
        {
            return false;
        }

        var thread = await api.GetRepliesAsync(message.Conversation.Channel, message.Conversation.Thread, cancellationToken);
        bool IsBot(SlackThreadMessage m) => m.User == me.UserId || (m.BotId is not null && m.BotId == me.BotId);
        if (!thread.Any(IsBot))
        {
            return false;
        }

        var ts = message.SurfaceData?.GetValueOrDefault(SurfaceKeys.Ts);
        foreach (var earlier in thread.Where(m => m.Ts != ts))
        {
            var speaker = IsBot(earlier) ? Speaker.Bot : Speaker.User;
            var text = speaker == Speaker.User ? SlackEventReader.StripMention(earlier.Text, me.UserId) : earlier.Text;
            await conversations.AppendAsync(message.Conversation, new ConversationTurn(speaker, SensitiveDataRedactor.Redact(text), SlackTimestamps.ToDateTime(earlier.Ts), earlier.Ts), cancellationToken);
        }

        await gateway.AcceptAsync(message, cancellationToken);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack: could not read a thread of channel {Channel}")]
    private static partial void LogFailed(ILogger logger, Exception exception, string channel);
}
