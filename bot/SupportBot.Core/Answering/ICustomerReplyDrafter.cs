using SupportBot.Core.Conversations;

namespace SupportBot.Core.Answering;

/// <summary>What a customer-reply draft is made from: the thread and the cited answer to its question.</summary>
public sealed record CustomerReplyRequest(IReadOnlyList<ConversationTurn> Thread, string Question, Answer Grounding, string AgentName);

/// <summary>
/// A reply addressed to the merchant, for the agent to review. <see cref="Grounded"/> is false when
/// the knowledge base does not support one (the text then says so instead of drafting).
/// </summary>
public sealed record CustomerReplyDraft(string Text, IReadOnlyList<Citation> Citations, bool Grounded, string Provider, bool Fallback = false);

/// <summary>Turns a thread and its grounded answer into a customer-ready draft.</summary>
public interface ICustomerReplyDrafter
{
    Task<CustomerReplyDraft> DraftAsync(CustomerReplyRequest request, CancellationToken cancellationToken);
}
