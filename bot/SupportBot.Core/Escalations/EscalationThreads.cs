using Microsoft.Extensions.Logging;

namespace SupportBot.Core.Escalations;

/// <summary>Posts an escalation's notices into its threads (the team's, the requester's, or both), masked.</summary>
public sealed partial class EscalationThreads(ThreadPosters posters, ILogger<EscalationThreads> logger)
{
    /// <summary>The poster for <paramref name="surface"/>; null (and logged) when that surface is not configured here.</summary>
    public IThreadPoster? PosterFor(string surface)
    {
        var poster = posters.For(surface);
        if (poster is null)
        {
            LogCannotPost(logger, surface);
        }

        return poster;
    }

    /// <summary>Posts to the team's thread (when there is one) and the requester's.</summary>
    public async Task PostBothAsync(Escalation escalation, string text, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(escalation);
        if (escalation.Target is { } target)
        {
            await PostAsync(target, text, cancellationToken);
        }

        await PostAsync(escalation.Origin, text, cancellationToken);
    }

    public Task PostAsync(ThreadAddress thread, string text, CancellationToken cancellationToken) => PostAsync(thread, text, [], cancellationToken);

    /// <summary>Posts <paramref name="text"/> notifying <paramref name="notify"/> (platform user or group ids; mentioned where the surface can).</summary>
    public async Task PostAsync(ThreadAddress thread, string text, IReadOnlyList<string> notify, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(thread);
        if (PosterFor(thread.Conversation.Surface) is { } poster)
        {
            await poster.PostAsync(thread, EscalationText.Masked(text, []) with { Notify = notify }, cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot post into a {Surface} thread: that surface cannot post unprompted")]
    private static partial void LogCannotPost(ILogger logger, string surface);
}
