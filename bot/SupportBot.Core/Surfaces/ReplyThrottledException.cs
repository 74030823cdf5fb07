namespace SupportBot.Core.Surfaces;

/// <summary>
/// The platform refused an in-place update for now (HTTP 429): the surface raises this from
/// <see cref="IStreamingReply.UpdateAsync"/> instead of retrying, so the next update waits
/// <see cref="RetryAfter"/> and carries newer text.
/// </summary>
public sealed class ReplyThrottledException : Exception
{
    public ReplyThrottledException()
        : this(TimeSpan.FromSeconds(1), null)
    {
    }

    public ReplyThrottledException(string message)
        : base(message)
    {
        RetryAfter = TimeSpan.FromSeconds(1);
    }

    public ReplyThrottledException(string message, Exception innerException)
        : base(message, innerException)
    {
        RetryAfter = TimeSpan.FromSeconds(1);
    }

    public ReplyThrottledException(TimeSpan retryAfter, Exception? innerException)
        : base($"The platform asked to wait {retryAfter.TotalSeconds:0.#} s before the next update.", innerException)
    {
        RetryAfter = retryAfter;
    }

    /// <summary>How long the platform asked to wait (its <c>Retry-After</c>).</summary>
    public TimeSpan RetryAfter { get; }
}
