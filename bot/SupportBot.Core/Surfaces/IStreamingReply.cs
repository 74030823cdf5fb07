namespace SupportBot.Core.Surfaces;

/// <summary>
/// A reply that grows in place while it is drafted (Slack <c>chat.update</c>, a Teams activity update):
/// the surface posts a placeholder when it is begun, shows each update, and finalises it with
/// citations and actions on <see cref="CompleteAsync"/>.
/// </summary>
public interface IStreamingReply
{
    /// <summary>Shows the answer so far (plain text, no citations yet).</summary>
    Task UpdateAsync(string partialText, CancellationToken cancellationToken);

    /// <summary>Replaces the growing text with the final reply.</summary>
    Task CompleteAsync(Reply reply, CancellationToken cancellationToken);
}
