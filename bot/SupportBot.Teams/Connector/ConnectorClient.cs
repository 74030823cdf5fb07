using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Serialization.Metadata;
using SupportBot.Teams.Activities;

namespace SupportBot.Teams.Connector;

/// <summary>
/// The Bot Connector REST API (v3) at an activity's <c>serviceUrl</c>: reply, send, update, and create
/// conversations or channel threads. Retries (429 with Retry-After, 412, 502, 503, 504) are in the
/// HTTP pipeline of <see cref="HttpClientName"/>, except for requests marked <see cref="SingleAttempt"/>.
/// </summary>
internal sealed class ConnectorClient(IHttpClientFactory httpClients, BotTokenProvider tokens, TimeProvider time)
{
    public const string HttpClientName = "teams-connector";

    /// <summary>Set on a request that must not be retried (an update a newer one supersedes).</summary>
    public static readonly HttpRequestOptionsKey<bool> SingleAttempt = new("supportbot.teams.single-attempt");

    /// <summary><c>POST {serviceUrl}v3/conversations/{conversationId}/activities/{activityId}</c>: a reply in the thread of an activity.</summary>
    public Task<ResourceResponse> ReplyToActivityAsync(string serviceUrl, string conversationId, string activityId, Activity activity, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, serviceUrl, $"v3/conversations/{Escape(conversationId)}/activities/{Escape(activityId)}", activity, TeamsJson.Default.Activity, TeamsJson.Default.ResourceResponse, cancellationToken);

    /// <summary><c>POST {serviceUrl}v3/conversations/{conversationId}/activities</c>: a new message in a conversation.</summary>
    public Task<ResourceResponse> SendToConversationAsync(string serviceUrl, string conversationId, Activity activity, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, serviceUrl, $"v3/conversations/{Escape(conversationId)}/activities", activity, TeamsJson.Default.Activity, TeamsJson.Default.ResourceResponse, cancellationToken);

    /// <summary>
    /// <see cref="SendToConversationAsync"/> in one attempt, for a streaming update a newer one supersedes: a 429 raises
    /// <see cref="ConnectorException"/> with its <c>Retry-After</c> instead of waiting.
    /// </summary>
    public Task<ResourceResponse> SendToConversationOnceAsync(string serviceUrl, string conversationId, Activity activity, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, serviceUrl, $"v3/conversations/{Escape(conversationId)}/activities", activity, TeamsJson.Default.Activity, TeamsJson.Default.ResourceResponse, cancellationToken, singleAttempt: true);

    /// <summary><c>PUT {serviceUrl}v3/conversations/{conversationId}/activities/{activityId}</c>: replaces a sent message.</summary>
    public Task<ResourceResponse> UpdateActivityAsync(string serviceUrl, string conversationId, string activityId, Activity activity, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Put, serviceUrl, $"v3/conversations/{Escape(conversationId)}/activities/{Escape(activityId)}", activity, TeamsJson.Default.Activity, TeamsJson.Default.ResourceResponse, cancellationToken);

    /// <summary>
    /// <see cref="UpdateActivityAsync"/> in one attempt, for updates a newer one supersedes (a growing answer):
    /// a 429 raises <see cref="ConnectorException"/> with its <c>Retry-After</c> instead of waiting.
    /// </summary>
    public Task<ResourceResponse> UpdateActivityOnceAsync(string serviceUrl, string conversationId, string activityId, Activity activity, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Put, serviceUrl, $"v3/conversations/{Escape(conversationId)}/activities/{Escape(activityId)}", activity, TeamsJson.Default.Activity, TeamsJson.Default.ResourceResponse, cancellationToken, singleAttempt: true);

    /// <summary><c>POST {serviceUrl}v3/conversations</c>: a 1:1 chat or a new channel thread (proactive messages).</summary>
    public Task<ConversationResourceResponse> CreateConversationAsync(string serviceUrl, ConversationParameters parameters, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, serviceUrl, "v3/conversations", parameters, TeamsJson.Default.ConversationParameters, TeamsJson.Default.ConversationResourceResponse, cancellationToken);

    private async Task<TResponse> SendAsync<TRequest, TResponse>(
        HttpMethod method, string serviceUrl, string path, TRequest body, JsonTypeInfo<TRequest> requestType, JsonTypeInfo<TResponse> responseType, CancellationToken cancellationToken, bool singleAttempt = false)
        where TResponse : class
    {
        var uri = new Uri(BaseUri(serviceUrl), path);
        var token = await tokens.GetTokenAsync(cancellationToken);
        using var request = new HttpRequestMessage(method, uri) { Content = JsonContent.Create(body, requestType) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (singleAttempt)
        {
            request.Options.Set(SingleAttempt, true);
        }

        var client = httpClients.CreateClient(HttpClientName);
        using var response = await client.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            var (code, message) = await ErrorOfAsync(response, cancellationToken);
            throw new ConnectorException($"{method} {path.Split('/')[0]}/… answered {(int)response.StatusCode}{(code is null ? string.Empty : " " + code)}.", response.StatusCode)
            {
                ErrorCode = code,
                ErrorMessage = message,
                RetryAfter = response.Headers.RetryAfter switch
                {
                    { Delta: { } delta } => delta,
                    { Date: { } date } => date - time.GetUtcNow(),
                    _ => null,
                },
            };
        }

        // Some operations answer 200/201 with an empty body; an id-less answer is still a success.
        if (response.Content.Headers.ContentLength == 0)
        {
            return CreateEmpty<TResponse>();
        }

        return await response.Content.ReadFromJsonAsync(responseType, cancellationToken) ?? CreateEmpty<TResponse>();
    }

    /// <summary>
    /// The Connector's error body, <c>{"error":{"code":"ContentStreamNotAllowed","message":"…"}}</c>, when it sent one
    /// (Teams' streaming refusals are told apart by it); at most 4 KB is read.
    /// </summary>
    private static async Task<(string? Code, string? Message)> ErrorOfAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            if (body.Length is 0 or > 4096)
            {
                return (null, null);
            }

            using var document = System.Text.Json.JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object
                && document.RootElement.TryGetProperty("error"u8, out var error) && error.ValueKind == System.Text.Json.JsonValueKind.Object)
            {
                return (Str(error, "code"), Str(error, "message"));
            }
        }
        catch (System.Text.Json.JsonException)
        {
        }

        return (null, null);

        static string? Str(System.Text.Json.JsonElement element, string name) =>
            element.TryGetProperty(name, out var value) && value.ValueKind == System.Text.Json.JsonValueKind.String ? value.GetString() : null;
    }

    private static TResponse CreateEmpty<TResponse>()
        where TResponse : class =>
        typeof(TResponse) == typeof(ResourceResponse)
            ? (TResponse)(object)new ResourceResponse(null)
            : (TResponse)(object)new ConversationResourceResponse(null, null, null);

    /// <summary>Service URLs usually end with '/', but not always; without it the last segment would be replaced.</summary>
    internal static Uri BaseUri(string serviceUrl) => new(serviceUrl.EndsWith('/') ? serviceUrl : serviceUrl + "/", UriKind.Absolute);

    /// <summary>Channel conversation ids contain ':', ';', '@' and '='; they are one path segment.</summary>
    internal static string Escape(string segment) => Uri.EscapeDataString(segment);
}
