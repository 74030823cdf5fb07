using SupportBot.Core.Answering;

namespace SupportBot.Host.Endpoints;

/// <summary>A message typed in the web chat.</summary>
public sealed record ChatMessageRequest(string? ThreadId, string? Text, string? User);

/// <summary>What the chat gets back at once: the thread to poll and the id replies refer to.</summary>
public sealed record ChatMessageAccepted(string ThreadId, string MessageId);

/// <summary>A button pressed under a reply.</summary>
/// <summary>An action on a reply; after "Not helpful", <c>feedback.reason</c> with <see cref="Reason"/> (wrong, outdated, incomplete, not_answered) and an optional <see cref="Comment"/>.</summary>
public sealed record ChatActionRequest(string? ThreadId, long ReplyTo, string? MessageId, string? Action, string? User = null, string? Reason = null, string? Comment = null);

public sealed record ChatAction(string Id, string Label);

public sealed record ChatReply(
    long Seq,
    string InReplyTo,
    string Kind,
    string Text,
    IReadOnlyList<Citation> Citations,
    bool Confident,
    IReadOnlyList<ChatAction> Actions,
    DateTimeOffset At);

public sealed record ChatReplies(IReadOnlyList<ChatReply> Replies);

public sealed record ApiError(string Error);
