using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using SupportBot.Teams.Activities;

namespace SupportBot.Teams.Connector;

/// <summary>What the Connector answers to a sent activity: its id.</summary>
public sealed record ResourceResponse(string? Id);

/// <summary>The body of <c>POST v3/conversations</c>: a 1:1 chat, or a new thread in a channel.</summary>
public sealed record ConversationParameters
{
    public bool? IsGroup { get; init; }
    public ChannelAccount? Bot { get; init; }
    public IList<ChannelAccount>? Members { get; init; }
    public string? TopicName { get; init; }
    public Activity? Activity { get; init; }

    /// <summary>For a channel thread: <c>{"channel":{"id":"19:…@thread.tacv2"}}</c>.</summary>
    public JsonObject? ChannelData { get; init; }
    public string? TenantId { get; init; }
}

/// <summary>What <c>POST v3/conversations</c> answers.</summary>
public sealed record ConversationResourceResponse(string? Id, string? ActivityId, string? ServiceUrl);

/// <summary>The Connector refused a request after the retries (413: the message is too big).</summary>
public sealed class ConnectorException(string message, System.Net.HttpStatusCode statusCode) : Exception(message)
{
    public System.Net.HttpStatusCode StatusCode { get; } = statusCode;

    /// <summary>The <c>Retry-After</c> of a throttled call (429), when the Connector sent one.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>The error body's <c>error.code</c> (<c>ContentStreamNotAllowed</c>, <c>BadRequest</c>…), when it sent one.</summary>
    public string? ErrorCode { get; init; }

    /// <summary>The error body's <c>error.message</c>, when it sent one.</summary>
    public string? ErrorMessage { get; init; }
}
