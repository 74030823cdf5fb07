using System.Collections.Concurrent;
using SupportBot.Core.Conversations;
using SupportBot.Core.Escalations;
using SupportBot.Slack.Events;
using SupportBot.Slack.WebApi;

namespace SupportBot.Slack.Escalations;

/// <summary>
/// Responders on Slack: members of the route's user groups, read with <c>usergroups.users.list</c> and kept
/// for a minute (a Tier 2 method; a burst of button presses should not spend the rate).
/// </summary>
internal sealed class SlackResponderDirectory(SlackApiClient api, TimeProvider time) : IResponderDirectory
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<string, (IReadOnlyList<string> Members, DateTimeOffset Until)> _groups = new(StringComparer.Ordinal);

    public string Surface => SlackEventReader.SurfaceName;

    public async Task<bool> IsMemberAsync(InboundMessage presser, IReadOnlyList<string> groups, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(presser);
        ArgumentNullException.ThrowIfNull(groups);
        foreach (var group in groups)
        {
            if ((await MembersAsync(group, cancellationToken)).Contains(presser.UserId, StringComparer.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private async Task<IReadOnlyList<string>> MembersAsync(string group, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_groups.TryGetValue(group, out var cached) && now < cached.Until)
        {
            return cached.Members;
        }

        var members = await api.GetUserGroupMembersAsync(group, cancellationToken);
        _groups[group] = (members, now + CacheFor);
        return members;
    }
}

/// <summary>Whether a Slack user is marked away (<c>users.getPresence</c>), so an escalation rotation can skip them.</summary>
internal sealed class SlackPresenceDirectory(SlackApiClient api) : IPresenceDirectory
{
    public string Surface => SlackEventReader.SurfaceName;

    public Task<bool> IsAwayAsync(string userId, CancellationToken cancellationToken) => api.IsAwayAsync(userId, cancellationToken);
}
