using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using SupportBot.Core.Conversations;
using SupportBot.Core.Escalations;
using SupportBot.Teams.Connector;

namespace SupportBot.Teams.Escalations;

/// <summary>
/// Responders on Teams: members of the route's Entra ID groups, asked of Microsoft Graph with
/// <c>POST /v1.0/users/{aadObjectId}/checkMemberGroups</c> (application permission <c>GroupMember.Read.All</c>).
/// </summary>
internal sealed class TeamsResponderDirectory(IHttpClientFactory httpClients, GraphTokenProvider tokens, IOptions<TeamsOptions> options) : IResponderDirectory
{
    public const string HttpClientName = "teams-graph";

    public string Surface => TeamsSurface.SurfaceName;

    public async Task<bool> IsMemberAsync(InboundMessage presser, IReadOnlyList<string> groups, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(presser);
        ArgumentNullException.ThrowIfNull(groups);
        if (presser.SurfaceData?.GetValueOrDefault(TeamsSurfaceData.AadObjectId) is not { Length: > 0 } user || !Guid.TryParse(user, out _))
        {
            return false; // not an Entra ID user: cannot be in a group
        }

        var graph = new Uri(options.Value.GraphBaseUrl.EndsWith('/') ? options.Value.GraphBaseUrl : options.Value.GraphBaseUrl + "/");
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(graph, $"v1.0/users/{Uri.EscapeDataString(user)}/checkMemberGroups"))
        {
            Content = JsonContent.Create(new JsonObject { ["groupIds"] = new JsonArray([.. groups.Select(g => (JsonNode)g)]) }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await tokens.GetTokenAsync(cancellationToken));
        using var response = await httpClients.CreateClient(HttpClientName).SendAsync(request, cancellationToken);
        response.EnsureSuccessStatusCode();
        using var body = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
        return body.RootElement.TryGetProperty("value"u8, out var found) && found.ValueKind == JsonValueKind.Array && found.GetArrayLength() > 0;
    }
}
