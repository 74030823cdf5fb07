using SupportBot.Core.Conversations;

namespace SupportBot.Core.Escalations;

/// <summary>
/// Tells, through the platform, whether the person who pressed a button belongs to one of a route's responder
/// groups (Slack user groups, Teams Entra ID groups). One per surface.
/// </summary>
public interface IResponderDirectory
{
    /// <summary>The surface it answers for (<c>slack</c>, <c>teams</c>).</summary>
    string Surface { get; }

    /// <summary>True when <paramref name="presser"/> is in one of <paramref name="groups"/>; throws when the platform cannot say.</summary>
    Task<bool> IsMemberAsync(InboundMessage presser, IReadOnlyList<string> groups, CancellationToken cancellationToken);
}

/// <summary>Tells, through the platform, whether a person is marked away (Slack presence), so a rotation can skip them. One per surface.</summary>
public interface IPresenceDirectory
{
    string Surface { get; }

    /// <summary>True when <paramref name="userId"/> is marked away; throws when the platform cannot say.</summary>
    Task<bool> IsAwayAsync(string userId, CancellationToken cancellationToken);
}
