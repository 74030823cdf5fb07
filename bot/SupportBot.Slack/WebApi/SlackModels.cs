using System.Text.Json.Nodes;

namespace SupportBot.Slack.WebApi;

/// <summary>Who the bot is in its workspace (from <c>auth.test</c>).</summary>
public sealed record SlackIdentity(string UserId, string? BotId, string? TeamId, string? Url = null, string? EnterpriseId = null);

/// <summary>A message of a thread, as <c>conversations.replies</c> lists it.</summary>
public sealed record SlackThreadMessage(string Ts, string? User, string? BotId, string Text);

/// <summary>A workspace member (from <c>users.info</c>).</summary>
public sealed record SlackUser(string Id, string Name, string? RealName);

/// <summary>A message to post: <paramref name="Text"/> is the notification and accessibility fallback of the blocks.</summary>
public sealed record SlackPost(string Channel, string Text, JsonArray? Blocks = null, string? ThreadTs = null);

/// <summary>Where a message was posted: its conversation and its <c>ts</c>.</summary>
public sealed record SlackPosted(string Channel, string Ts);
