using Microsoft.Extensions.Logging;
using SupportBot.Core.Conversations;
using SupportBot.Core.State;

using SupportBot.Core.Telemetry;

namespace SupportBot.Core.Surfaces;

/// <summary>
/// A surface seen through the reply outbox while one message is handled: each reply to that message records its
/// intent before it is posted and where it went after. Handling the message again (a replica took it over after
/// a crash), a reply already posted is not posted twice: one with a recorded id is skipped (a streamed one goes
/// on growing in place); one intended without an id is looked for on the platform (Slack: the reply's mark in its
/// message metadata, read back from the thread) and posted only when it is not found.
/// </summary>
/// <remarks>
/// A platform that cannot be asked (Teams: the Bot Connector lists no activities) leaves one window open: a crash
/// after the platform took the reply and before its id was recorded, one state-store write later, repeats it.
/// </remarks>
internal sealed partial class OutboxSurface(IChatSurface inner, InboundMessage message, IReplyOutbox outbox, ILogger logger) : IChatSurface
{
    private readonly string _key = IReplyOutbox.KeyOf(message);
    private int _ordinal;

    public string Name => inner.Name;

    public bool CanSharePrivateReplies => inner.CanSharePrivateReplies;

    public Task<IReadOnlyList<ConversationTurn>?> ReadThreadAsync(ConversationRef thread, CancellationToken cancellationToken) => inner.ReadThreadAsync(thread, cancellationToken);

    public Task IndicateWorkingAsync(InboundMessage message, CancellationToken cancellationToken) => inner.IndicateWorkingAsync(message, cancellationToken);

    public Task IndicateProgressAsync(InboundMessage message, WorkProgress progress, CancellationToken cancellationToken) =>
        inner.IndicateProgressAsync(message, progress, cancellationToken);

    public Task SendAsync(InboundMessage inReplyTo, Reply reply, CancellationToken cancellationToken) =>
        SendMarkedAsync(inReplyTo, reply, string.Empty, cancellationToken);

    public async Task<PostedReply?> SendMarkedAsync(InboundMessage inReplyTo, Reply reply, string mark, CancellationToken cancellationToken)
    {
        if (!IsTheMessage(inReplyTo))
        {
            return await inner.SendMarkedAsync(inReplyTo, reply, mark, cancellationToken);
        }

        var (replyNumber, ownMark) = Next();
        if (await EarlierAsync(replyNumber, ownMark, cancellationToken) is { } earlier)
        {
            LogAlreadyPosted(logger, inner.Name, message.Id);
            return earlier;
        }

        PostedReply? posted;
        using (var activity = SupportBotTelemetry.Source.StartActivity("supportbot.post"))
        {
            activity?.SetTag("supportbot.surface", inner.Name);
            posted = await inner.SendMarkedAsync(inReplyTo, reply, ownMark, cancellationToken);
        }

        await RecordAsync(replyNumber, posted);
        return posted;
    }

    public Task<IStreamingReply?> BeginStreamingAsync(InboundMessage inReplyTo, CancellationToken cancellationToken) =>
        BeginStreamingMarkedAsync(inReplyTo, string.Empty, cancellationToken);

    public async Task<IStreamingReply?> BeginStreamingMarkedAsync(InboundMessage inReplyTo, string mark, CancellationToken cancellationToken)
    {
        if (!IsTheMessage(inReplyTo))
        {
            return await inner.BeginStreamingMarkedAsync(inReplyTo, mark, cancellationToken);
        }

        var (replyNumber, ownMark) = Next();
        if (await EarlierAsync(replyNumber, ownMark, cancellationToken) is { } earlier
            && await inner.ResumeStreamingAsync(inReplyTo, earlier, cancellationToken) is { } resumed)
        {
            LogResumed(logger, inner.Name, message.Id);
            return resumed;
        }

        IStreamingReply? begun;
        using (var activity = SupportBotTelemetry.Source.StartActivity("supportbot.post"))
        {
            activity?.SetTag("supportbot.surface", inner.Name);
            activity?.SetTag("supportbot.streaming", true);
            begun = await inner.BeginStreamingMarkedAsync(inReplyTo, ownMark, cancellationToken);
        }

        if (begun is null)
        {
            return null;
        }

        if (begun.Posted is { } posted)
        {
            await RecordAsync(replyNumber, posted);
            return begun;
        }

        // Posted later (Slack's native streaming starts the message with the first text): recorded when it appears.
        return new RecordedWhenPosted(begun, posted => RecordAsync(replyNumber, posted));
    }

    public Task<PostedReply?> FindMarkedAsync(InboundMessage inReplyTo, string mark, CancellationToken cancellationToken) =>
        inner.FindMarkedAsync(inReplyTo, mark, cancellationToken);

    public Task<IStreamingReply?> ResumeStreamingAsync(InboundMessage inReplyTo, PostedReply posted, CancellationToken cancellationToken) =>
        inner.ResumeStreamingAsync(inReplyTo, posted, cancellationToken);

    private bool IsTheMessage(InboundMessage inReplyTo) =>
        ReferenceEquals(inReplyTo, message) || (inReplyTo.Id == message.Id && inReplyTo.Conversation == message.Conversation);

    /// <summary>The number and platform mark (<c>{message id}#{n}</c>) of the message's next reply (most messages have one).</summary>
    private (int Reply, string Mark) Next()
    {
        var reply = Interlocked.Increment(ref _ordinal) - 1;
        return (reply, string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{message.Id}#{reply}"));
    }

    /// <summary>Records the intent; where an earlier attempt posted this reply, or null when it must be posted now.</summary>
    private async Task<PostedReply?> EarlierAsync(int reply, string mark, CancellationToken cancellationToken)
    {
        var entry = await outbox.BeginAsync(_key, reply, cancellationToken);
        if (entry is null)
        {
            return null; // the first attempt
        }

        if (entry.Posted is { } posted)
        {
            return posted;
        }

        // Intended, no id recorded: the earlier attempt may have posted just before it died. Ask the platform.
        var found = await inner.FindMarkedAsync(message, mark, cancellationToken);
        if (found is not null)
        {
            await outbox.RecordPostedAsync(_key, reply, found, cancellationToken);
        }

        return found;
    }

    // Posted: recorded even if shutdown's deadline has just passed, or a takeover would post it again.
    private Task RecordAsync(int reply, PostedReply? posted) =>
        posted is null ? Task.CompletedTask : outbox.RecordPostedAsync(_key, reply, posted, CancellationToken.None);

    /// <summary>A streamed reply whose message exists only after its first update: where it went is recorded once it is known.</summary>
    private sealed class RecordedWhenPosted(IStreamingReply inner, Func<PostedReply, Task> record) : IStreamingReply
    {
        private int _recorded;

        public PostedReply? Posted => inner.Posted;

        public async Task UpdateAsync(string partialText, CancellationToken cancellationToken)
        {
            try
            {
                await inner.UpdateAsync(partialText, cancellationToken);
            }
            finally
            {
                await RecordOnceAsync();
            }
        }

        public async Task CompleteAsync(Reply reply, CancellationToken cancellationToken)
        {
            try
            {
                await inner.CompleteAsync(reply, cancellationToken);
            }
            finally
            {
                await RecordOnceAsync();
            }
        }

        private Task RecordOnceAsync() =>
            inner.Posted is { } posted && Interlocked.Exchange(ref _recorded, 1) == 0 ? record(posted) : Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Surface} message {MessageId} was taken over; its reply was already posted and is not posted again")]
    private static partial void LogAlreadyPosted(ILogger logger, string surface, string messageId);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Surface} message {MessageId} was taken over; its streamed reply goes on in the message already posted")]
    private static partial void LogResumed(ILogger logger, string surface, string messageId);
}
