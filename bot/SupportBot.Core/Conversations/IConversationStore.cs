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

    /// <summary>
    /// Sets values of the thread's context (a Slack assistant thread: the channel the person is looking at), keeping
    /// the others; kept as long as the thread's history (<see cref="ConversationOptions.HistoryTtl"/> from the last write).
    /// </summary>
    Task SetContextAsync(ConversationRef conversation, IReadOnlyDictionary<string, string> values, CancellationToken cancellationToken);

    /// <summary>The thread's context (empty when none was set, or it expired).</summary>
    Task<IReadOnlyDictionary<string, string>> GetContextAsync(ConversationRef conversation, CancellationToken cancellationToken);
}
