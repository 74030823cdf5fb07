using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace SupportBot.Teams.Connector;

/// <summary>
/// Calls to Microsoft Graph (<c>Teams:GraphBaseUrl</c>) with the bot's application token (<see cref="GraphTokenProvider"/>)
/// through the <see cref="HttpClientName"/> pipeline: retried twice within 10 s, since the people and group checks run
/// while someone waits on a button. A refusal or failure throws; each caller decides what it means.
/// </summary>
internal sealed class GraphClient(IHttpClientFactory httpClients, GraphTokenProvider tokens, IOptions<TeamsOptions> options)
{
    public const string HttpClientName = "teams-graph";

    /// <summary><c>GET</c> <paramref name="path"/> (below Graph's base address, e.g. <c>v1.0/users/{id}</c>); the JSON answer.</summary>
    public Task<JsonDocument> GetAsync(string path, CancellationToken cancellationToken) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Get, Address(path)), cancellationToken);

    /// <summary><c>POST</c> <paramref name="body"/> to <paramref name="path"/>; the JSON answer.</summary>
    public Task<JsonDocument> PostAsync(string path, JsonNode body, CancellationToken cancellationToken) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Post, Address(path)) { Content = JsonContent.Create(body) }, cancellationToken);

    private Uri Address(string path)
    {
        var graph = options.Value.GraphBaseUrl;
        return new Uri(new Uri(graph.EndsWith('/') ? graph : graph + "/"), path);
    }

    private async Task<JsonDocument> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using (request)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await tokens.GetTokenAsync(cancellationToken));
            using var response = await httpClients.CreateClient(HttpClientName).SendAsync(request, cancellationToken);
            response.EnsureSuccessStatusCode();
            return await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
        }
    }
}
