using System.Collections.Concurrent;
using System.Text.Json;
using SupportBot.Core.Escalations;
using SupportBot.Teams.Connector;

namespace SupportBot.Teams.Escalations;

/// <summary>
/// People on Teams as Microsoft Graph knows them, by Entra ID object id (the ids routes name on Teams): whether
/// someone is away (<c>GET /v1.0/users/{id}/presence</c>, application permission <c>Presence.Read.All</c>), so a
/// rotation skips them; and their display name (<c>GET /v1.0/users/{id}?$select=displayName</c>,
/// <c>User.ReadBasic.All</c>), which a Teams mention shows. Names are kept for an hour.
/// </summary>
internal sealed class TeamsPeopleDirectory(GraphClient graph, TimeProvider time)
    : IPresenceDirectory
{
    /// <summary>Availabilities and activities that mean "not there now" (Graph's presence resource).</summary>
    private static readonly HashSet<string> AwayStates = new(StringComparer.OrdinalIgnoreCase)
    {
        "Away", "BeRightBack", "Offline", "OffWork", "OutOfOffice",
    };

    private static readonly TimeSpan KeepNamesFor = TimeSpan.FromHours(1);

    private readonly ConcurrentDictionary<string, (string? Name, DateTimeOffset Until)> _names = new(StringComparer.OrdinalIgnoreCase);

    public string Surface => TeamsSurface.SurfaceName;

    public async Task<bool> IsAwayAsync(string userId, CancellationToken cancellationToken)
    {
        using var presence = await graph.GetAsync($"v1.0/users/{ObjectId(userId)}/presence", cancellationToken);
        var root = presence.RootElement;
        return State(root, "availability") is { } availability && AwayStates.Contains(availability)
            || State(root, "activity") is { } activity && AwayStates.Contains(activity);
    }

    /// <summary>The person's display name, or null when Graph does not know the id or cannot be asked (the mention is then left out).</summary>
    public async Task<string?> DisplayNameAsync(string userId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_names.TryGetValue(userId, out var known) && known.Until > now)
        {
            return known.Name;
        }

        if (!Guid.TryParse(userId, out _))
        {
            return null;
        }

        using var user = await graph.GetAsync($"v1.0/users/{ObjectId(userId)}?$select=displayName", cancellationToken);
        var name = State(user.RootElement, "displayName") is { Length: > 0 } found ? found : null;
        _names[userId] = (name, now + KeepNamesFor);
        return name;
    }

    private static string ObjectId(string userId) => Guid.TryParse(userId, out var id)
        ? id.ToString()
        : throw new InvalidOperationException("Teams people in routes are named by their Entra ID object id (a GUID).");

    private static string? State(JsonElement root, string property) =>
        root.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
