namespace SupportBot.Core.Surfaces;

/// <summary>Where a reply was posted: the platform's conversation and its id of the message (a Slack <c>ts</c>, a Teams activity id).</summary>
public sealed record PostedReply(string Channel, string Id);
