using System.Text.Json;
using System.Text.Json.Nodes;
using SupportBot.Core.Conversations;
using SupportBot.Core.Escalations;
using SupportBot.Teams.Connector;

namespace SupportBot.Teams.Escalations;

/// <summary>
/// Responders on Teams: members of the route's Entra ID groups, asked of Microsoft Graph with
/// <c>POST /v1.0/users/{aadObjectId}/checkMemberGroups</c> (application permission <c>GroupMember.Read.All</c>).
/// </summary>
internal sealed class TeamsResponderDirectory(GraphClient graph) : IResponderDirectory
{
    public string Surface => TeamsSurface.SurfaceName;

    public async Task<bool> IsMemberAsync(InboundMessage presser, IReadOnlyList<string> groups, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(presser);
        ArgumentNullException.ThrowIfNull(groups);
        if (presser.SurfaceData?.GetValueOrDefault(TeamsSurfaceData.AadObjectId) is not { Length: > 0 } user || !Guid.TryParse(user, out _))
        {
            return false; // not an Entra ID user: cannot be in a group
        }

        using var body = await graph.PostAsync(
            $"v1.0/users/{Uri.EscapeDataString(user)}/checkMemberGroups",
            new JsonObject { ["groupIds"] = new JsonArray([.. groups.Select(g => (JsonNode)g)]) },
            cancellationToken);
        return body.RootElement.TryGetProperty("value"u8, out var found) && found.ValueKind == JsonValueKind.Array && found.GetArrayLength() > 0;
    }
}
