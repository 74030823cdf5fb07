using System.Text.Json.Nodes;

namespace SupportBot.Slack.WebApi;

/// <summary>Who the bot is in its workspace (from <c>auth.test</c>).</summary>
internal sealed record SlackIdentity(string UserId, string? BotId, string? TeamId, string? Url = null, string? EnterpriseId = null);

/// <summary>
/// A message of a thread, as <c>conversations.replies</c> lists it; <paramref name="ReplyMark"/> is the mark SupportBot
/// put in a reply's message metadata (read only when metadata is asked for).
/// </summary>
internal sealed record SlackThreadMessage(string Ts, string? User, string? BotId, string Text, string? ReplyMark = null);

/// <summary>A workspace member (from <c>users.info</c>).</summary>
internal sealed record SlackUser(string Id, string Name, string? RealName);

/// <summary>
/// A message to post: <paramref name="Text"/> is the notification and accessibility fallback of the blocks;
/// <paramref name="ReplyMark"/>, when set, goes into the message metadata (<see cref="SlackReplyMetadata"/>).
/// </summary>
internal sealed record SlackPost(string Channel, string Text, JsonArray? Blocks = null, string? ThreadTs = null, string? ReplyMark = null);

/// <summary>
/// The message metadata on SupportBot's replies: <c>{"event_type":"supportbot_reply","event_payload":{"mark":"…"}}</c>,
/// the mark being the delivery the reply answers, so a replica that takes the delivery over can find the reply.
/// </summary>
internal static class SlackReplyMetadata
{
    public const string EventType = "supportbot_reply";

    public const string MarkField = "mark";
}

/// <summary>Where a message was posted: its conversation and its <c>ts</c>.</summary>
internal sealed record SlackPosted(string Channel, string Ts);
