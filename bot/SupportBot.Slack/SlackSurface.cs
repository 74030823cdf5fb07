using Microsoft.Extensions.Logging;
using SupportBot.Core.Conversations;
using SupportBot.Core.Escalations;
using SupportBot.Core.Surfaces;
using SupportBot.Slack.BlockKit;
using SupportBot.Slack.Events;
using SupportBot.Slack.WebApi;

namespace SupportBot.Slack;

/// <summary>
/// Slack as the pipeline sees it: replies are Block Kit messages posted into the thread the question
/// came from; the working sign is an <c>eyes</c> reaction on the question (in an assistant thread, its status
/// line); a model's answer streams with Slack's streaming methods (<see cref="SlackNativeStream"/>) or grows in
/// place (<c>chat.update</c>); escalation threads are opened and posted into unprompted.
/// </summary>
internal sealed partial class SlackSurface(
    SlackApiClient api,
    SlackBotIdentity identity,
    SlackNativeStreaming nativeStreaming,
    Assistant.SlackAssistant assistant,
    ILogger<SlackSurface> logger) : IChatSurface, IThreadPoster
{
    private const string Placeholder = "Working on it…";

    public const string WorkingReaction = "eyes";

    public string Name => SlackEventReader.SurfaceName;

    /// <summary>Ephemeral messages are posted in the thread they answer, where Share posts too.</summary>
    public bool CanSharePrivateReplies => true;

    /// <summary>The thread as Slack has it (<c>conversations.replies</c>); null when Slack cannot be asked (the kept history is used).</summary>
    public async Task<IReadOnlyList<ConversationTurn>?> ReadThreadAsync(ConversationRef thread, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(thread);
        try
        {
            var messages = await api.GetRepliesAsync(thread.Channel, thread.Thread, cancellationToken);
            var bot = identity.Current?.UserId;
            return [.. messages.Select(m => new ConversationTurn(
                m.BotId is not null || (bot is not null && m.User == bot) ? Speaker.Bot : Speaker.User,
                Events.SlackEventReader.StripMention(m.Text, bot),
                DateTimeOffset.UnixEpoch,
                m.Ts,
                m.User))];
        }
        catch (Exception ex) when (ex is SlackApiException or HttpRequestException)
        {
            LogThreadUnreadable(logger, ex.GetType().Name);
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack: the thread could not be read ({Error}); the history the bot kept is used")]
    private static partial void LogThreadUnreadable(ILogger logger, string error);

    public Task SendAsync(InboundMessage inReplyTo, Reply reply, CancellationToken cancellationToken) =>
        SendMarkedAsync(inReplyTo, reply, string.Empty, cancellationToken);

    /// <summary>Posts the reply with <paramref name="mark"/> in its message metadata, so it can be found again after a crash.</summary>
    public async Task<PostedReply?> SendMarkedAsync(InboundMessage inReplyTo, Reply reply, string mark, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inReplyTo);
        ArgumentNullException.ThrowIfNull(reply);
        var rendered = SlackReplyRenderer.Render(reply);
        var conversation = inReplyTo.Conversation;
        var post = new SlackPost(conversation.Channel, rendered.Text, rendered.Blocks, conversation.Thread, MarkOrNull(mark));
        if (reply.Audience == ReplyAudience.Requester && inReplyTo.Scope != ConversationScope.Direct)
        {
            await PostPrivatelyAsync(post, inReplyTo.UserId, cancellationToken);
            return null; // an ephemeral message cannot be read back
        }

        var posted = await PostOrWriteDirectlyAsync(post, inReplyTo.UserId, cancellationToken);
        return new PostedReply(posted.Channel, posted.Ts);
    }

    /// <summary>
    /// The bot's reply in the message's thread whose metadata carries <paramref name="mark"/>
    /// (<c>conversations.replies</c> with <c>include_all_metadata</c>).
    /// </summary>
    public async Task<PostedReply?> FindMarkedAsync(InboundMessage inReplyTo, string mark, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inReplyTo);
        var conversation = inReplyTo.Conversation;
        var thread = await api.GetRepliesAsync(conversation.Channel, conversation.Thread, cancellationToken, includeMetadata: true);
        return thread.FirstOrDefault(m => m.ReplyMark == mark) is { } found ? new PostedReply(conversation.Channel, found.Ts) : null;
    }

    public Task<IStreamingReply?> BeginStreamingAsync(InboundMessage inReplyTo, CancellationToken cancellationToken) =>
        BeginStreamingMarkedAsync(inReplyTo, string.Empty, cancellationToken);

    public async Task<IStreamingReply?> BeginStreamingMarkedAsync(InboundMessage inReplyTo, string mark, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inReplyTo);
        var conversation = inReplyTo.Conversation;
        if (NativeTarget(inReplyTo, mark) is { } target && nativeStreaming.Allowed(target.Workspace))
        {
            // Nothing is posted yet: the stream starts with the answer's first words.
            return new SlackNativeStream(
                api,
                nativeStreaming,
                target,
                async (text, blocks, ct) => await PostOrWriteDirectlyAsync(new SlackPost(conversation.Channel, text, blocks, conversation.Thread, MarkOrNull(mark)), inReplyTo.UserId, ct),
                logger);
        }

        var posted = await PostOrWriteDirectlyAsync(new SlackPost(conversation.Channel, Placeholder, ThreadTs: conversation.Thread, ReplyMark: MarkOrNull(mark)), inReplyTo.UserId, cancellationToken);
        return new StreamingMessage(api, posted.Channel, posted.Ts);
    }

    /// <summary>
    /// Where a natively streamed reply goes: the thread, and outside a direct message the asker and their workspace, whom
    /// Slack streams to; null when the workspace is unknown there (the reply is edited in place instead).
    /// </summary>
    private static SlackNativeStream.Target? NativeTarget(InboundMessage inReplyTo, string mark)
    {
        var conversation = inReplyTo.Conversation;
        var team = inReplyTo.SurfaceData?.GetValueOrDefault(SurfaceKeys.Team) ?? inReplyTo.Tenant;
        if (team is null || inReplyTo.ExternalUser)
        {
            // Unknown workspace, or a Slack Connect guest whose own workspace the event does not name: edited in place.
            return null;
        }

        var direct = inReplyTo.Scope == ConversationScope.Direct;
        return new SlackNativeStream.Target(conversation.Channel, conversation.Thread, direct ? null : inReplyTo.UserId, direct ? null : team, team, MarkOrNull(mark));
    }

    /// <summary>
    /// Goes on editing the message an earlier attempt posted (<c>chat.update</c> replaces it whole). A reply that was
    /// streamed natively is finished the same way: a stream another replica began cannot be appended to safely, so the
    /// final reply replaces its text; if Slack refuses the edit, the pipeline posts the reply as a new message.
    /// </summary>
    public Task<IStreamingReply?> ResumeStreamingAsync(InboundMessage inReplyTo, PostedReply posted, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(posted);
        return Task.FromResult<IStreamingReply?>(new StreamingMessage(api, posted.Channel, posted.Id));
    }

    private static string? MarkOrNull(string mark) => mark.Length == 0 ? null : mark;

    /// <summary>
    /// Only the requester sees it: an ephemeral message in the thread, or, when Slack will not post one there
    /// (the bot is not in the channel), a direct message. Never a message others can read.
    /// </summary>
    private async Task PostPrivatelyAsync(SlackPost post, string userId, CancellationToken cancellationToken)
    {
        try
        {
            await api.PostEphemeralAsync(post, userId, cancellationToken);
        }
        catch (SlackApiException)
        {
            await api.PostDirectMessageAsync(userId, post.Text, post.Blocks, cancellationToken);
        }
    }

    /// <summary>In an assistant thread: its status line drafting, then cleared. Elsewhere nothing (the reaction stays).</summary>
    public Task IndicateProgressAsync(InboundMessage message, WorkProgress progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        return Assistant.SlackAssistant.IsAssistantThread(message) ? assistant.ShowProgressAsync(message, progress) : Task.CompletedTask;
    }

    public async Task IndicateWorkingAsync(InboundMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (Assistant.SlackAssistant.IsAssistantThread(message))
        {
            await assistant.ShowWorkingAsync(message, cancellationToken);
            return;
        }

        if (message.SurfaceData?.GetValueOrDefault(SurfaceKeys.Ts) is not { } ts)
        {
            return;
        }

        try
        {
            await api.AddReactionAsync(message.Conversation.Channel, ts, WorkingReaction, cancellationToken);
        }
        catch (Exception ex) when (ex is SlackApiException or HttpRequestException)
        {
            // Only a sign: the answer still goes out.
            LogReactionFailed(logger, ex);
        }
    }


    public async Task<ThreadAddress> StartThreadAsync(RouteDestination destination, Reply first, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var rendered = SlackReplyRenderer.Render(first);
        var ts = await api.PostMessageAsync(new SlackPost(destination.Channel, rendered.Text, rendered.Blocks), cancellationToken);
        return await ThreadAtAsync(new SlackPosted(destination.Channel, ts), cancellationToken);
    }

    /// <summary>
    /// The requester's own thread for a form sent from outside any thread (<c>/escalate</c>): a new message in
    /// the channel the command came from, or, when the bot cannot post there (not a member, a DM between
    /// other people, an archived channel), in the bot's direct messages with the requester.
    /// </summary>
    public async Task<ThreadAddress> StartOriginThreadAsync(InboundMessage request, Reply first, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var rendered = SlackReplyRenderer.Render(first);
        var posted = await PostOrWriteDirectlyAsync(new SlackPost(request.Conversation.Channel, rendered.Text, rendered.Blocks), request.UserId, cancellationToken);
        return await ThreadAtAsync(posted, cancellationToken);
    }

    /// <summary>The thread a new top-level message starts, with its permalink.</summary>
    private async Task<ThreadAddress> ThreadAtAsync(SlackPosted root, CancellationToken cancellationToken)
    {
        var thread = new ThreadAddress(new ConversationRef(Name, root.Channel, root.Ts), new Dictionary<string, string> { [SurfaceKeys.Ts] = root.Ts });
        return thread with { Link = await LinkAsync(thread, cancellationToken) };
    }

    /// <summary>
    /// Posts <paramref name="post"/>, or, when the bot may not post in its conversation, writes it to
    /// <paramref name="userId"/> in the bot's direct messages (chat:write alone allows that). A message
    /// shortcut can be chosen on a message in a channel the bot is not in; so can <c>/escalate</c>.
    /// </summary>
    private async Task<SlackPosted> PostOrWriteDirectlyAsync(SlackPost post, string userId, CancellationToken cancellationToken)
    {
        try
        {
            return new SlackPosted(post.Channel, await api.PostMessageAsync(post, cancellationToken));
        }
        catch (SlackApiException ex) when (CannotPostIn.Contains(ex.Error) && post.Channel != userId)
        {
            LogWritingDirectly(logger, ex.Error);
            return await api.PostDirectMessageAsync(userId, post.Text, post.Blocks, cancellationToken, post.ReplyMark);
        }
    }

    // chat.postMessage's errors for a conversation the bot may not post in.
    private static readonly HashSet<string> CannotPostIn = new(StringComparer.Ordinal)
    {
        "not_in_channel", "channel_not_found", "is_archived", "restricted_action", "restricted_action_read_only_channel",
        "restricted_action_thread_only_channel", "restricted_action_non_threadable_channel",
    };

    public async Task PostAsync(ThreadAddress thread, Reply reply, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(thread);
        var rendered = SlackReplyRenderer.Render(reply);
        await api.PostMessageAsync(new SlackPost(thread.Conversation.Channel, rendered.Text, rendered.Blocks, thread.Conversation.Thread), cancellationToken);
    }

    /// <summary>The thread's permalink: the workspace URL from <c>auth.test</c>, <c>archives/CHANNEL/pTS</c>.</summary>
    public async Task<string?> LinkAsync(ThreadAddress thread, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(thread);
        var workspace = (await identity.EnsureAsync(cancellationToken))?.Url;
        return workspace is null
            ? null
            : $"{workspace.TrimEnd('/')}/archives/{thread.Conversation.Channel}/p{thread.Conversation.Thread.Replace(".", string.Empty, StringComparison.Ordinal)}";
    }

    /// <summary>
    /// A message updated in place as the answer grows, then replaced by the final reply. The growing text
    /// is one attempt per edit (the pipeline paces them); the final edit is retried like any call.
    /// </summary>
    internal sealed class StreamingMessage(SlackApiClient api, string channel, string ts) : IStreamingReply
    {
        public PostedReply Posted { get; } = new(channel, ts);

        public async Task UpdateAsync(string partialText, CancellationToken cancellationToken)
        {
            try
            {
                await api.UpdateMessageOnceAsync(channel, ts, SlackText.Escape(partialText), cancellationToken);
            }
            catch (SlackApiException ex) when (ex.RateLimited)
            {
                throw new ReplyThrottledException(ex.RetryAfter ?? PacedStreamingReply.DefaultInterval, ex);
            }
        }

        public Task CompleteAsync(Reply reply, CancellationToken cancellationToken)
        {
            var rendered = SlackReplyRenderer.Render(reply);
            return api.UpdateMessageAsync(channel, ts, rendered.Text, rendered.Blocks, cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Slack: cannot post in that conversation ({Error}); writing to the person in direct messages")]
    private static partial void LogWritingDirectly(ILogger logger, string error);

    // Debug: under Slack's rate limits a skipped reaction is expected, and it is never retried.
    [LoggerMessage(Level = LogLevel.Debug, Message = "Slack: the working reaction was skipped")]
    private static partial void LogReactionFailed(ILogger logger, Exception exception);
}
