using SupportBot.Core.Conversations;

namespace SupportBot.Core.Surfaces;

/// <summary>
/// A chat platform as the pipeline sees it: it renders a <see cref="Reply"/> for its platform and
/// delivers it to a thread. Slack, Teams and the local web chat each provide one; the core never
/// references a platform type.
/// </summary>
public interface IChatSurface
{
    /// <summary>The surface name used in <see cref="ConversationRef.Surface"/>.</summary>
    string Name { get; }

    /// <summary>Posts <paramref name="reply"/> into the thread of <paramref name="inReplyTo"/>.</summary>
    Task SendAsync(InboundMessage inReplyTo, Reply reply, CancellationToken cancellationToken);

    /// <summary>
    /// True when a "Share with the thread" button under a reply only the asker saw (<see cref="ReplyAudience.Requester"/>)
    /// can post the answer in the thread it answered: Slack's ephemeral messages stay in that thread; Teams' private
    /// replies go to the asker's personal chat, and the thread is reached through <see cref="IThreadPoster.ThreadAddressOf"/>.
    /// </summary>
    bool CanSharePrivateReplies => false;

    /// <summary>
    /// The thread's messages as the platform has them, oldest first (Slack: <c>conversations.replies</c>), for keeping a
    /// thread the bot may not have been part of; null when the platform cannot list a thread (the history the bot kept is used).
    /// </summary>
    Task<IReadOnlyList<ConversationTurn>?> ReadThreadAsync(ConversationRef thread, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ConversationTurn>?>(null);

    /// <summary>
    /// Shows that an answer is on its way (a reaction, a typing indicator) before the slower work
    /// starts. Best effort: a surface without such a sign does nothing.
    /// </summary>
    Task IndicateWorkingAsync(InboundMessage message, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Says how far the answer has come (a Slack assistant thread's status line: drafting after the search, nothing once
    /// the reply is out). Best effort, like <see cref="IndicateWorkingAsync"/>: the pipeline never waits for it, and a
    /// surface without such a sign does nothing.
    /// </summary>
    Task IndicateProgressAsync(InboundMessage message, WorkProgress progress, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Starts a reply that grows in place while a model drafts it; null when the surface shows only
    /// finished replies (then <see cref="SendAsync"/> is used).
    /// </summary>
    Task<IStreamingReply?> BeginStreamingAsync(InboundMessage inReplyTo, CancellationToken cancellationToken) => Task.FromResult<IStreamingReply?>(null);

    // The reply outbox (OutboxSurface): a surface that says where a reply went, and can find a reply it marked,
    // lets a replica that takes a message over after a crash avoid saying it twice.

    /// <summary>
    /// <see cref="SendAsync"/>, carrying <paramref name="mark"/> where the platform keeps it with the message (Slack:
    /// message metadata), and saying where the reply was posted; null when the platform does not say.
    /// </summary>
    async Task<PostedReply?> SendMarkedAsync(InboundMessage inReplyTo, Reply reply, string mark, CancellationToken cancellationToken)
    {
        await SendAsync(inReplyTo, reply, cancellationToken);
        return null;
    }

    /// <summary><see cref="BeginStreamingAsync"/>, the placeholder carrying <paramref name="mark"/>.</summary>
    Task<IStreamingReply?> BeginStreamingMarkedAsync(InboundMessage inReplyTo, string mark, CancellationToken cancellationToken) =>
        BeginStreamingAsync(inReplyTo, cancellationToken);

    /// <summary>
    /// A reply to <paramref name="inReplyTo"/> carrying <paramref name="mark"/> that was posted before (by a replica that
    /// then died); null when there is none, or when the platform cannot be asked.
    /// </summary>
    Task<PostedReply?> FindMarkedAsync(InboundMessage inReplyTo, string mark, CancellationToken cancellationToken) =>
        Task.FromResult<PostedReply?>(null);

    /// <summary>Goes on growing a streamed reply already posted; null when the surface cannot (then a new one is begun).</summary>
    Task<IStreamingReply?> ResumeStreamingAsync(InboundMessage inReplyTo, PostedReply posted, CancellationToken cancellationToken) =>
        Task.FromResult<IStreamingReply?>(null);
}

/// <summary>How far the answer to a message has come, for <see cref="IChatSurface.IndicateProgressAsync"/>.</summary>
public enum WorkProgress
{
    /// <summary>The knowledge base was searched; the answer is being drafted.</summary>
    Drafting,

    /// <summary>The reply went out (or nothing will): the sign is taken down.</summary>
    Done,
}
