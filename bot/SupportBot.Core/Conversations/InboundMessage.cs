namespace SupportBot.Core.Conversations;

/// <summary>What arrived: a typed message, or a button/action on an earlier reply.</summary>
public enum InboundKind
{
    Message,
    Action,
}

/// <summary>
/// A normalized inbound message. Every surface turns its platform payload into one of these; the
/// rest of the pipeline never sees a platform type.
/// </summary>
/// <param name="Id">Platform-unique id of the delivery (used to answer it exactly once).</param>
/// <param name="Conversation">Where it was said.</param>
/// <param name="UserId">Who said it (platform user id).</param>
/// <param name="UserName">A display name, for the dashboard and summaries.</param>
/// <param name="Text">The text, with the bot's own mention already stripped by the surface.</param>
/// <param name="ReceivedAt">When the surface received it.</param>
/// <param name="Kind">A message or an action.</param>
/// <param name="ActionId">For actions: what was pressed (e.g. <c>feedback.helpful</c>).</param>
/// <param name="ActionTarget">For actions: the id of the reply the action belongs to.</param>
/// <param name="SurfaceData">Opaque values the surface needs to answer (e.g. a response URL).</param>
/// <param name="Tenant">The workspace or tenant it came from (Slack team or enterprise id, Teams tenant id, <c>web</c>); audit, limits and erasure use it.</param>
/// <param name="Scope">Who can read the conversation (a DM or a channel).</param>
/// <param name="ExternalUser">The sender belongs to another organisation (a Slack Connect guest): never shown case data.</param>
/// <param name="ContextChannel">
/// The channel the asker is looking at when the message was written beside it (a Slack assistant thread: the channel
/// open next to the assistant pane); that channel's knowledge scope applies to the answer. Null: the conversation's own.
/// </param>
public sealed record InboundMessage(
    string Id,
    ConversationRef Conversation,
    string UserId,
    string UserName,
    string Text,
    DateTimeOffset ReceivedAt,
    InboundKind Kind = InboundKind.Message,
    string? ActionId = null,
    string? ActionTarget = null,
    IReadOnlyDictionary<string, string>? SurfaceData = null,
    string? Tenant = null,
    ConversationScope Scope = ConversationScope.Unknown,
    bool ExternalUser = false,
    string? ContextChannel = null)
{
    /// <summary>
    /// Asked privately about a message of <see cref="Conversation"/> (Teams' "Ask SupportBot" message action): answered as
    /// a question whatever its words, by the conversation's channel settings, to the asker only (with Share with the thread
    /// when there is a thread), and nothing is added to the thread's history, since no one asked there.
    /// </summary>
    public bool AskedPrivately { get; init; }
}
