namespace SupportBot.Core.Surfaces;

/// <summary>
/// A reply that grows in place while it is drafted (Slack <c>chat.update</c>, a Teams activity update):
/// the surface posts a placeholder when it is begun, shows each update, and finalises it with
/// citations and actions on <see cref="CompleteAsync"/>. The pipeline paces the calls
/// (<see cref="PacedStreamingReply"/>); a surface only speaks its platform.
/// </summary>
public interface IStreamingReply
{
    /// <summary>
    /// Shows the answer so far (plain text, no citations yet). One attempt: a newer update supersedes it,
    /// so a surface does not retry; on a rate limit it raises <see cref="ReplyThrottledException"/>.
    /// </summary>
    Task UpdateAsync(string partialText, CancellationToken cancellationToken);

    /// <summary>
    /// The platform's own pace for this stream, counted from the request that began it (Teams: its informative update
    /// is the stream's first request, so the first text waits one interval after it); null for the pipeline's default,
    /// counted from the first update.
    /// </summary>
    TimeSpan? Interval => null;

    /// <summary>Where the growing message was posted; null when the surface does not say.</summary>
    PostedReply? Posted => null;

    /// <summary>Replaces the growing text with the final reply; retried as the platform allows, since nothing supersedes it.</summary>
    Task CompleteAsync(Reply reply, CancellationToken cancellationToken);
}
