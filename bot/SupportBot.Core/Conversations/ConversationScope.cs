namespace SupportBot.Core.Conversations;

/// <summary>
/// Who can read the conversation a message came from. Surfaces set it from the platform
/// (Slack <c>channel_type</c> <c>im</c>, Teams <c>conversationType</c> <c>personal</c>, the
/// signed-in user's own web chat thread); data that may not be seen by others (case details)
/// is answered in place only where the scope is <see cref="Direct"/>.
/// </summary>
public enum ConversationScope
{
    /// <summary>The surface did not say: treated like a channel.</summary>
    Unknown,

    /// <summary>Only the requester and the bot read it (a DM, a personal chat, one user's web chat thread).</summary>
    Direct,

    /// <summary>A channel or group chat that others read.</summary>
    Channel,
}
