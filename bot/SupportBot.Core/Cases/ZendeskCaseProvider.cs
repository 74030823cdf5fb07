using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Serialization;

namespace SupportBot.Core.Cases;

/// <summary>
/// Cases from Zendesk's Tickets API: <c>GET /api/v2/tickets/{id}.json</c> and its comments, with users
/// side-loaded (<c>include=users</c>) so names come in the same round trip; basic auth
/// <c>{email}/token:{token}</c>.
/// </summary>
internal sealed class ZendeskCaseProvider(HttpClient http) : ICaseProvider
{
    public const string HttpClientName = "zendesk";
    private const int UpdatesShown = 5;

    /// <summary>
    /// Reads only (GET), so transient failures are retried: twice, half a second apart and growing, each attempt
    /// within 5 s and the whole within 12 s, so an agent waiting on <c>/case</c> gets an answer or a clear
    /// "unavailable" quickly; the circuit opens when Zendesk keeps failing.
    /// </summary>
    public static void Resilience(Microsoft.Extensions.Http.Resilience.HttpStandardResilienceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Retry.MaxRetryAttempts = 2;
        options.Retry.Delay = TimeSpan.FromMilliseconds(500);
        options.AttemptTimeout.Timeout = TimeSpan.FromSeconds(5);
        options.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(12);
    }

    public static void Configure(HttpClient http, CaseOptions options)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        http.BaseAddress = new Uri(options.BaseUrl!.TrimEnd('/') + "/");
        var credentials = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{options.Email}/token:{options.ApiToken}"));
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", credentials);
        http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        http.Timeout = Timeout.InfiniteTimeSpan; // the resilience handler's timeouts bound each attempt and the whole
    }

    public async Task<CaseLookup> FindAsync(string id, CancellationToken cancellationToken)
    {
        // Zendesk ticket ids are numbers; anything else cannot exist there (and must not reach a URL).
        if (!long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var ticketId))
        {
            return CaseLookup.NotFound;
        }

        try
        {
            using var ticketResponse = await http.GetAsync(new Uri($"api/v2/tickets/{ticketId}.json?include=users", UriKind.Relative), cancellationToken);
            if (ticketResponse.StatusCode == HttpStatusCode.NotFound)
            {
                return CaseLookup.NotFound;
            }

            if (!ticketResponse.IsSuccessStatusCode)
            {
                return CaseLookup.Unavailable($"Zendesk answered {(int)ticketResponse.StatusCode}");
            }

            var ticket = await ticketResponse.Content.ReadFromJsonAsync(ZendeskJson.Default.TicketEnvelope, cancellationToken);
            var comments = await http.GetFromJsonAsync(
                new Uri($"api/v2/tickets/{ticketId}/comments.json?include=users&sort_order=desc", UriKind.Relative),
                ZendeskJson.Default.CommentsEnvelope,
                cancellationToken);
            return ticket?.Ticket is null ? CaseLookup.NotFound : CaseLookup.Found(ToCase(ticket, comments));
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException && !cancellationToken.IsCancellationRequested)
        {
            return CaseLookup.Unavailable($"Zendesk could not be reached ({ex.GetType().Name})");
        }
    }

    private static SupportCase ToCase(TicketEnvelope envelope, CommentsEnvelope? comments)
    {
        var ticket = envelope.Ticket!;
        var users = (envelope.Users ?? []).Concat(comments?.Users ?? []).DistinctBy(u => u.Id).ToDictionary(u => u.Id);
        var requester = ticket.RequesterId is { } r && users.TryGetValue(r, out var req) ? req : null;
        var assignee = ticket.AssigneeId is { } a && users.TryGetValue(a, out var asg) ? asg.Name ?? "unknown" : "unassigned";
        var updates = (comments?.Comments ?? [])
            .Where(c => c.Public != false) // internal notes stay in Zendesk
            .Take(UpdatesShown)
            .Select(c => new CaseUpdate(c.CreatedAt, users.TryGetValue(c.AuthorId, out var author) ? author.Name ?? "unknown" : "unknown", c.PlainBody ?? c.Body ?? string.Empty, Public: true))
            .ToList();
        return new SupportCase(
            ticket.Id.ToString(CultureInfo.InvariantCulture),
            ticket.Subject ?? "(no subject)",
            ticket.Status ?? "unknown",
            ticket.Priority ?? "normal",
            ticket.Tags?.FirstOrDefault(t => ProductTags.Contains(t)) ?? string.Empty,
            new CaseRequester(requester?.Name ?? "unknown", requester?.Email ?? string.Empty),
            assignee,
            ticket.CreatedAt,
            ticket.UpdatedAt,
            updates);
    }

    private static readonly HashSet<string> ProductTags = new(StringComparer.OrdinalIgnoreCase)
    {
        "payments", "payouts", "disputes", "risk", "connect", "billing", "tax", "identity", "platform",
    };

    internal sealed record TicketEnvelope(Ticket? Ticket, List<User>? Users);

    internal sealed record CommentsEnvelope(List<Comment>? Comments, List<User>? Users);

    internal sealed record Ticket(
        long Id,
        string? Subject,
        string? Status,
        string? Priority,
        [property: JsonPropertyName("requester_id")] long? RequesterId,
        [property: JsonPropertyName("assignee_id")] long? AssigneeId,
        [property: JsonPropertyName("created_at")] DateTimeOffset CreatedAt,
        [property: JsonPropertyName("updated_at")] DateTimeOffset UpdatedAt,
        List<string>? Tags);

    internal sealed record Comment(
        long Id,
        [property: JsonPropertyName("author_id")] long AuthorId,
        string? Body,
        [property: JsonPropertyName("plain_body")] string? PlainBody,
        [property: JsonPropertyName("created_at")] DateTimeOffset CreatedAt,
        [property: JsonPropertyName("public")] bool? Public = null);

    internal sealed record User(long Id, string? Name, string? Email);
}

[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(ZendeskCaseProvider.TicketEnvelope))]
[JsonSerializable(typeof(ZendeskCaseProvider.CommentsEnvelope))]
internal sealed partial class ZendeskJson : JsonSerializerContext;
