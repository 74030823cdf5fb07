namespace SupportBot.Core.Channels;

/// <summary>When the bot answers in a channel.</summary>
public enum ChannelMode
{
    /// <summary>Only when mentioned (and in threads it answered, and in direct messages).</summary>
    Mention,

    /// <summary>Every new question posted in the channel, mentioned or not.</summary>
    Answer,

    /// <summary>Never: new questions are ignored. Escalation threads the bot runs in the channel keep working.</summary>
    Off,
}

/// <summary>
/// How the bot behaves in one channel (the channels file, docs/configuration.md): when it answers, from which product
/// areas, whether answers go to the asker first, who may use it, whom to tag when it cannot answer, and how many
/// answers a day it gives.
/// </summary>
/// <param name="Id">The surface-qualified channel, e.g. <c>slack:C0123ABCD</c>; empty for the defaults.</param>
/// <param name="Name">A human name, for the admin page and logs.</param>
/// <param name="Mode">When the bot answers.</param>
/// <param name="Areas">Product areas the answers come from (article front matter <c>product</c>); empty: all.</param>
/// <param name="Private">Answers go to the asker only (Slack ephemeral, Teams personal chat) with a "Share with the thread" button.</param>
/// <param name="AllowedGroups">User groups (Slack user group ids, Entra ID group ids) whose members may use the bot here; empty: everyone.</param>
/// <param name="UnansweredTag">A Slack user group id tagged when the bot cannot answer.</param>
/// <param name="DailyCap">Answers a day in this channel (UTC days); null: no cap.</param>
public sealed record ChannelPolicy(
    string Id,
    string? Name,
    ChannelMode Mode,
    IReadOnlyList<string> Areas,
    bool Private,
    IReadOnlyList<string> AllowedGroups,
    string? UnansweredTag,
    int? DailyCap)
{
    /// <summary>
    /// Knowledge sources the answers come from (a connector's name from <c>Knowledge:Connectors</c>, <c>past-threads</c>);
    /// empty: all. Combined with <see cref="Areas"/>: both must hold.
    /// </summary>
    public IReadOnlyList<string> Sources { get; init; } = [];

    /// <summary>What a channel not in the file gets when the file has no defaults: today's behaviour.</summary>
    public static readonly ChannelPolicy Default = new(string.Empty, null, ChannelMode.Mention, [], false, [], null, null);

    /// <summary>The surface-qualified id of a conversation's channel, as the channels file names it.</summary>
    public static string IdOf(Conversations.ConversationRef conversation)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        return $"{conversation.Surface}:{conversation.Channel}";
    }
}
