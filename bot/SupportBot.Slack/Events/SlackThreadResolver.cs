using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SupportBot.Core.Conversations;
using SupportBot.Core.Queue;
using SupportBot.Core.Redaction;
using SupportBot.Slack.WebApi;

namespace SupportBot.Slack.Events;

/// <summary>
/// Decides thread replies the state store has no answer for, off the request path:
/// <list type="bullet">
/// <item>the bot was asked in the thread and its answer is not posted yet (the question waits in the queue, is being
/// drafted, or is being taken over from a replica that died): the follow-up waits for that answer, then is answered
/// after it, with it in its history; it gives up after <see cref="MaxWait"/>;</item>
/// <item>the store knows nothing of the thread (expired, or answered before state was kept): reads it with
/// <c>conversations.replies</c> once; if the bot has spoken in it, the thread's earlier turns become the
/// conversation's history (masked) and the reply is answered like any follow-up.</item>
/// </list>
/// </summary>
internal sealed partial class SlackThreadResolver(
    SlackApiClient api,
    SlackBotIdentity identity,
    IConversationStore conversations,
    InboundGateway gateway,
    TimeProvider time,
    ILogger<SlackThreadResolver> logger) : BackgroundService
{
    /// <summary>How long a follow-up waits for the answer to the thread's question.</summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromMinutes(2);

    /// <summary>How often a waiting follow-up looks in the store for that answer.</summary>
    public static readonly TimeSpan RecheckInterval = TimeSpan.FromSeconds(1);

    private const int MaxWaiting = 1_000;

    // Bounded: under a flood of thread chatter, extra checks are dropped rather than queued forever.
    private readonly Channel<InboundMessage> _pending = Channel.CreateBounded<InboundMessage>(
        new BoundedChannelOptions(1_000) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    private int _waiting;

    /// <summary>What the thread said about a reply.</summary>
    internal enum ThreadCheck
    {
        /// <summary>The bot is in the thread: the reply was handed to the gateway.</summary>
        Accepted,

        /// <summary>The bot was asked in the thread and has not answered yet.</summary>
        AwaitingAnswer,

        /// <summary>Not a thread the bot is in.</summary>
        NotOurs,
    }

    public bool TryDefer(InboundMessage message) => _pending.Writer.TryWrite(message);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var message in _pending.Reader.ReadAllAsync(stoppingToken))
            {
                try
                {
                    if (await ResolveAsync(message, stoppingToken) == ThreadCheck.AwaitingAnswer)
                    {
                        Wait(message, stoppingToken);
                    }
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

    internal async Task<ThreadCheck> ResolveAsync(InboundMessage message, CancellationToken cancellationToken)
    {
        var history = await conversations.GetHistoryAsync(message.Conversation, cancellationToken);
        if (history.HasBotTurn())
        {
            await gateway.AcceptAsync(message, cancellationToken);
            return ThreadCheck.Accepted;
        }

        if (history.Count > 0)
        {
            // The store keeps only threads the bot was asked in; the asking turn is there once a worker took it.
            return ThreadCheck.AwaitingAnswer;
        }

        var me = await identity.EnsureAsync(cancellationToken);
        if (me is null)
        {
            return ThreadCheck.NotOurs;
        }

        var thread = await api.GetRepliesAsync(message.Conversation.Channel, message.Conversation.Thread, cancellationToken);
        bool IsBot(SlackThreadMessage m) => m.User == me.UserId || (m.BotId is not null && m.BotId == me.BotId);
        var ts = message.SurfaceData?.GetValueOrDefault(SurfaceKeys.Ts);
        if (!thread.Any(IsBot))
        {
            // Asked here (a mention in the thread) but not answered yet: the question is still queued.
            var asked = thread.Any(m => m.Ts != ts && SlackEventReader.Mentions(m.Text, me.UserId));
            return asked ? ThreadCheck.AwaitingAnswer : ThreadCheck.NotOurs;
        }

        foreach (var earlier in thread.Where(m => m.Ts != ts))
        {
            var speaker = IsBot(earlier) ? Speaker.Bot : Speaker.User;
            var text = speaker == Speaker.User ? SlackEventReader.StripMention(earlier.Text, me.UserId) : earlier.Text;
            await conversations.AppendAsync(message.Conversation, new ConversationTurn(speaker, SensitiveDataRedactor.Redact(text), SlackTimestamps.ToDateTime(earlier.Ts), earlier.Ts), cancellationToken);
        }

        await gateway.AcceptAsync(message, cancellationToken);
        return ThreadCheck.Accepted;
    }

    /// <summary>
    /// Waits, off the reading loop, for the bot's answer to the thread's question to reach the store, then hands the
    /// follow-up over: it is answered after that answer, which it can build on. Only the store is read while waiting.
    /// </summary>
    private void Wait(InboundMessage message, CancellationToken stoppingToken)
    {
        if (Interlocked.Increment(ref _waiting) > MaxWaiting)
        {
            Interlocked.Decrement(ref _waiting);
            LogGaveUp(logger, message.Conversation.Channel, "too many follow-ups waiting");
            return;
        }

        _ = Task.Run(
            async () =>
            {
                try
                {
                    var deadline = time.GetUtcNow() + MaxWait;
                    while (time.GetUtcNow() < deadline)
                    {
                        await Task.Delay(RecheckInterval, time, stoppingToken);
                        var history = await conversations.GetHistoryAsync(message.Conversation, stoppingToken);
                        if (history.HasBotTurn())
                        {
                            await gateway.AcceptAsync(message, stoppingToken);
                            return;
                        }
                    }

                    LogGaveUp(logger, message.Conversation.Channel, "the thread's question was not answered in time");
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    // Shutting down: a waiting follow-up lives in this replica's memory only (like every thread check),
                    // so it is dropped; the thread's next message is checked afresh.
                }
                catch (Exception ex)
                {
                    LogFailed(logger, ex, message.Conversation.Channel);
                }
                finally
                {
                    Interlocked.Decrement(ref _waiting);
                }
            },
            CancellationToken.None);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack: could not read a thread of channel {Channel}")]
    private static partial void LogFailed(ILogger logger, Exception exception, string channel);

    [LoggerMessage(Level = LogLevel.Information, Message = "Slack: a follow-up in a thread of channel {Channel} was not answered: {Reason}")]
    private static partial void LogGaveUp(ILogger logger, string channel, string reason);
}
