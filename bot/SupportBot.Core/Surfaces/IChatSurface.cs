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
    /// Shows that an answer is on its way (a reaction, a typing indicator) before the slower work
    /// starts. Best effort: a surface without such a sign does nothing.
    /// </summary>
    Task IndicateWorkingAsync(InboundMessage message, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Starts a reply that grows in place while a model drafts it; null when the surface shows only
    /// finished replies (then <see cref="SendAsync"/> is used).
    /// </summary>
    Task<IStreamingReply?> BeginStreamingAsync(InboundMessage inReplyTo, CancellationToken cancellationToken) => Task.FromResult<IStreamingReply?>(null);
}
