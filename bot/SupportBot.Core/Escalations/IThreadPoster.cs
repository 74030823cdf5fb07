namespace SupportBot.Core.Escalations;

/// <summary>
/// A surface that can open a thread in a channel and post into a thread unprompted: what escalations
/// need to reach the owning team's channel (on either platform) and to keep both threads in sync.
/// </summary>
public interface IThreadPoster
{
    /// <summary>The surface name (<c>slack</c>, <c>teams</c>).</summary>
    string Name { get; }

    /// <summary>Posts <paramref name="first"/> as the root of a new thread in the destination's channel.</summary>
    Task<ThreadAddress> StartThreadAsync(RouteDestination destination, Surfaces.Reply first, CancellationToken cancellationToken);

    /// <summary>
    /// Opens a thread for a request that arrived outside any thread (a slash command's form): a new message in
    /// the channel it came from, started by <paramref name="first"/>. A surface may choose another place the
    /// requester can read (Slack: a direct message when the bot cannot post in that channel).
    /// </summary>
    Task<ThreadAddress> StartOriginThreadAsync(Conversations.InboundMessage request, Surfaces.Reply first, CancellationToken cancellationToken) =>
        StartThreadAsync(new RouteDestination(Name, request.Conversation.Channel), first, cancellationToken);

    /// <summary>Posts into an existing thread.</summary>
    Task PostAsync(ThreadAddress thread, Surfaces.Reply reply, CancellationToken cancellationToken);

    /// <summary>
    /// The address of <paramref name="conversation"/> (a thread on this surface), reached the way <paramref name="from"/>
    /// reached the bot (its service endpoint and tenant); null when the surface needs nothing more than the conversation.
    /// </summary>
    ThreadAddress? ThreadAddressOf(Conversations.ConversationRef conversation, Conversations.InboundMessage from) => null;

    /// <summary>A link people can open to reach a thread, when the platform has one.</summary>
    Task<string?> LinkAsync(ThreadAddress thread, CancellationToken cancellationToken);
}
