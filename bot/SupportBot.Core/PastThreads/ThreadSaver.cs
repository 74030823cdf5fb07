using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SupportBot.Core.Channels;
using SupportBot.Core.Conversations;
using SupportBot.Core.Escalations;
using SupportBot.Core.Redaction;
using SupportBot.Core.Surfaces;

namespace SupportBot.Core.PastThreads;

/// <summary>
/// "Save to knowledge" on a message: the people's messages of its thread (the platform's copy when it can list one,
/// else the history the bot kept), masked, become a past thread under <c>thread:{surface}:{channel}:{root}</c>; saving
/// again replaces it with the thread as it is now. The bot's own replies are left out: they quote the articles already.
/// </summary>
public sealed partial class ThreadSaver(
    IPastThreads pastThreads,
    IConversationStore conversations,
    ChannelGate channels,
    ThreadPosters posters,
    IOptions<PastThreadsOptions> options,
    TimeProvider time,
    ILogger<ThreadSaver> logger)
{
    private const int MaxTitle = 120;

    public async Task<Reply> SaveAsync(InboundMessage message, IChatSurface surface, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(surface);
        if (!options.Value.Enabled)
        {
            return Reply.PrivateNotice("Keeping threads as knowledge is turned off here (Knowledge:PastThreads:Enabled).");
        }

        var thread = message.Conversation;
        var turns = await surface.ReadThreadAsync(thread, cancellationToken) ?? await conversations.GetHistoryAsync(thread, cancellationToken);
        var said = turns.PeopleSaid();
        if (said.Count == 0 && !string.IsNullOrWhiteSpace(message.Text))
        {
            said.Add(SensitiveDataRedactor.Redact(message.Text.Trim()));
        }

        if (said.Count == 0)
        {
            return Reply.PrivateNotice("That thread has nothing to keep: no one has written in it yet.");
        }

        var first = said[0].Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[0];
        var text = string.Join("\n", said);
        var areas = channels.PolicyFor(message).Areas;
        string? link = null;
        if (posters.For(thread.Surface) is { } poster && poster.ThreadAddressOf(thread, message) is { } address)
        {
            link = await poster.LinkAsync(address, cancellationToken);
        }

        var saved = new PastThread(
            $"thread:{thread.Surface}:{thread.Channel}:{thread.Thread}",
            first.Length <= MaxTitle ? first : first[..(MaxTitle - 1)] + "…",
            text[..Math.Min(text.Length, PastThread.MaxText)],
            areas.Count == 1 ? areas[0] : string.Empty,
            link,
            time.GetUtcNow(),
            PastThreadKind.Saved);
        await pastThreads.SaveAsync(saved, cancellationToken);
        LogSaved(logger, thread.Surface, said.Count);
        return Reply.PrivateNotice($"Saved this thread as knowledge ({said.Count} message{(said.Count == 1 ? string.Empty : "s")}, masked). Answers will cite it as a past thread.");
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "A {Surface} thread of {Messages} messages was saved as knowledge")]
    private static partial void LogSaved(ILogger logger, string surface, int messages);
}
