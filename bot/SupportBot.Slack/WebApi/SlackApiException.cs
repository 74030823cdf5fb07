namespace SupportBot.Slack.WebApi;

/// <summary>A Web API call answered <c>{"ok":false,"error":…}</c> (or could not be completed).</summary>
internal sealed class SlackApiException : Exception
{
    public SlackApiException()
        : this("unknown", "unknown_error")
    {
    }

    public SlackApiException(string message)
        : this("unknown", message)
    {
    }

    public SlackApiException(string message, Exception innerException)
        : base(message, innerException)
    {
        Method = "unknown";
        Error = message;
    }

    public SlackApiException(string method, string error)
        : base($"Slack {method} failed: {error}")
    {
        Method = method;
        Error = error;
    }

    /// <summary>The Web API method, e.g. <c>chat.postMessage</c>.</summary>
    public string Method { get; }

    /// <summary>Slack's error code, e.g. <c>channel_not_found</c>.</summary>
    public string Error { get; }

    public bool Retryable => SlackErrors.IsRetryable(Error);

    /// <summary>HTTP 429, or Slack's <c>ratelimited</c> error in a 200 answer.</summary>
    public bool RateLimited => Error is "http_429" or "ratelimited" or "rate_limited";

    /// <summary>The <c>Retry-After</c> of a rate-limited call, when Slack sent one.</summary>
    public TimeSpan? RetryAfter { get; init; }
}

/// <summary>Which of Slack's <c>ok:false</c> errors are worth another try.</summary>
internal static class SlackErrors
{
    // Transient by Slack's documentation: the same call may succeed later. Every other error
    // (invalid_auth, channel_not_found, not_in_channel, …) fails again the same way.
    private static readonly HashSet<string> Transient = new(StringComparer.Ordinal)
    {
        "ratelimited",
        "rate_limited",
        "internal_error",
        "fatal_error",
        "service_unavailable",
        "request_timeout",
    };

    public static bool IsRetryable(string? error) => error is not null && Transient.Contains(error);
}
