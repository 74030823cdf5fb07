namespace SupportBot.Core.Conversations;

/// <summary>
/// Per-thread conversation history. Implementations cap the history to the newest
/// <see cref="ConversationOptions.HistoryLimit"/> turns and let idle threads expire.
/// </summary>
public interface IConversationStore
{
    Task AppendAsync(ConversationRef conversation, ConversationTurn turn, CancellationToken cancellationToken);

    /// <summary>The thread's turns, oldest first (empty when the thread is unknown or expired).</summary>
    Task<IReadOnlyList<ConversationTurn>> GetHistoryAsync(ConversationRef conversation, CancellationToken cancellationToken);
}
