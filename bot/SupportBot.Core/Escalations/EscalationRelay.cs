using SupportBot.Core.Conversations;

namespace SupportBot.Core.Escalations;

/// <summary>
/// Keeps an escalation's two threads in step: a person's message in one is posted (masked) in the other, until
/// someone says "relay off" or the escalation is resolved.
/// </summary>
public sealed class EscalationRelay(IEscalationStore store, ThreadPosters posters, IConversationStore conversations)
{
    /// <summary>"relay off" / "relay on" in either escalation thread: stop or resume mirroring replies.</summary>
    public async Task<Surfaces.Reply> SetRelayAsync(InboundMessage message, bool on, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (await store.FindByThreadAsync(message.Conversation, cancellationToken) is not { } escalation)
        {
            return Surfaces.Reply.Notice("This thread is not an escalation.");
        }

        await store.SaveAsync(escalation with { RelayReplies = on }, cancellationToken);
        return Surfaces.Reply.Notice(on
            ? $"Replies in either thread of {escalation.Id} reach the other again."
            : $"Replies are no longer relayed between the threads of {escalation.Id}; status changes still are. Say \"relay on\" to resume.");
    }

    /// <summary>
    /// Relays a person's message from one escalation thread to the other. True when the message was
    /// in the team's thread (the bot does not answer there; it only relays).
    /// </summary>
    public async Task<bool> RelayAsync(InboundMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Kind != InboundKind.Message || await store.FindByThreadAsync(message.Conversation, cancellationToken) is not { } escalation)
        {
            return false;
        }

        var inTeamThread = escalation.Target?.Conversation == message.Conversation;
        if (inTeamThread)
        {
            // The team's words are kept with its thread (masked, like every turn): the outcome quotes the last of them.
            await conversations.AppendAsync(message.Conversation, new ConversationTurn(Speaker.User, message.Text, message.ReceivedAt, message.Id, message.UserId), cancellationToken);
        }

        var other = inTeamThread ? escalation.Origin : escalation.Target;
        if (escalation.RelayReplies && other is not null && posters.For(other.Conversation.Surface) is { } poster && escalation.Status != EscalationStatus.Resolved)
        {
            var from = inTeamThread ? escalation.Team : "the requester's thread";
            await poster.PostAsync(other, EscalationText.Masked($"{message.UserName} ({from}): {message.Text}", []), cancellationToken);
        }

        return inTeamThread;
    }
}
