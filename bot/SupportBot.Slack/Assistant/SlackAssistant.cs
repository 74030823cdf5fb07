using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using SupportBot.Core.Conversations;
using SupportBot.Slack.Events;
using SupportBot.Slack.WebApi;

namespace SupportBot.Slack.Assistant;

/// <summary>
/// Slack's assistant pane (an app with <c>features.assistant_view</c>): a thread in the person's direct messages with
/// the bot, opened beside whatever channel they are looking at. A new thread (<c>assistant_thread_started</c>) gets
/// suggested prompts; the channel beside it (its <c>context</c>, and each <c>assistant_thread_context_changed</c>) is
/// kept with the thread in the conversation store, so a question asked there takes that channel's knowledge scope.
/// While a question is answered the thread shows a status line; its first question becomes its title.
/// </summary>
internal sealed partial class SlackAssistant(SlackApiClient api, IConversationStore conversations, ILogger<SlackAssistant> logger)
{
    /// <summary>Set by <see cref="SuggestedPrompts"/>'s thread start: the thread is an assistant thread.</summary>
    public const string MarkerKey = "assistant";

    /// <summary>The channel the person is looking at (<c>context.channel_id</c>).</summary>
    public const string ChannelKey = "assistant.channel";

    public const string TeamKey = "assistant.team";

    public const string EnterpriseKey = "assistant.enterprise";

    /// <summary>Set once the thread has its title (its first question).</summary>
    public const string TitledKey = "assistant.titled";

    public const string SearchingStatus = "is searching the knowledge base…";

    public const string DraftingStatus = "is drafting…";

    /// <summary>Slack shows a thread's title in the person's history; a first question longer than this is cut.</summary>
    public const int MaxTitle = 80;

    public const string PromptsTitle = "Try one of these:";

    /// <summary>At most four, as <c>assistant.threads.setSuggestedPrompts</c> takes; each one the pipeline understands.</summary>
    public static readonly IReadOnlyList<(string Title, string Message)> SuggestedPrompts =
    [
        ("Respond to a dispute", "How do I respond to a dispute?"),
        ("Why is a payout late?", "Why is a payout delayed?"),
        ("Look up a case", "case 12345"),
        ("Draft a customer reply", "draft a reply"),
    ];

    private readonly ConcurrentDictionary<string, StatusLine> _status = new(StringComparer.Ordinal);

    /// <summary>
    /// <c>assistant_thread_started</c> or <c>assistant_thread_context_changed</c>: keeps the thread's context and, for a
    /// new thread, offers the suggested prompts in the background (the delivery is acknowledged at once). False when the
    /// event is not one of them or lacks its thread.
    /// </summary>
    public async ValueTask<bool> HandleEventAsync(JsonElement ev, CancellationToken cancellationToken)
    {
        var type = SlackEventReader.Str(ev, "type"u8);
        if (type is not ("assistant_thread_started" or "assistant_thread_context_changed")
            || !ev.TryGetProperty("assistant_thread"u8, out var thread)
            || SlackEventReader.Str(thread, "channel_id"u8) is not { } channel
            || SlackEventReader.Str(thread, "thread_ts"u8) is not { } threadTs)
        {
            return false;
        }

        var context = thread.TryGetProperty("context"u8, out var c) ? c : default;
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [MarkerKey] = "1",
            // An empty value: the person is looking at no channel (the context says none), so no channel's scope applies.
            [ChannelKey] = SlackEventReader.Str(context, "channel_id"u8) ?? string.Empty,
            [TeamKey] = SlackEventReader.Str(context, "team_id"u8) ?? string.Empty,
            [EnterpriseKey] = SlackEventReader.Str(context, "enterprise_id"u8) ?? string.Empty,
        };
        await conversations.SetContextAsync(new ConversationRef(SlackEventReader.SurfaceName, channel, threadTs), values, cancellationToken);
        if (type == "assistant_thread_started")
        {
            _ = OfferPromptsAsync(channel, threadTs);
        }

        return true;
    }

    /// <summary>
    /// A direct message in a thread the assistant pane started: marked as such, with the channel beside it as its
    /// <see cref="InboundMessage.ContextChannel"/>. Other messages come back as they are.
    /// </summary>
    public async ValueTask<InboundMessage> InThreadAsync(InboundMessage message, CancellationToken cancellationToken)
    {
        if (message.Scope != ConversationScope.Direct
            || message.SurfaceData?.GetValueOrDefault(SurfaceKeys.Ts) == message.Conversation.Thread)
        {
            return message; // not in a thread: a plain direct message
        }

        var context = await conversations.GetContextAsync(message.Conversation, cancellationToken);
        if (context.GetValueOrDefault(MarkerKey) != "1")
        {
            return message;
        }

        var data = new Dictionary<string, string>(message.SurfaceData ?? new Dictionary<string, string>(), StringComparer.Ordinal) { [SurfaceKeys.Assistant] = "1" };
        if (context.GetValueOrDefault(TitledKey) == "1")
        {
            data[SurfaceKeys.AssistantTitled] = "1"; // the worker need not read the context again
        }

        var beside = context.GetValueOrDefault(ChannelKey);
        return message with { SurfaceData = data, ContextChannel = string.IsNullOrEmpty(beside) ? null : beside };
    }

    public static bool IsAssistantThread(InboundMessage message) => message.SurfaceData?.GetValueOrDefault(SurfaceKeys.Assistant) == "1";

    /// <summary>The working sign in an assistant thread: the status line, and the thread's title from its first question.</summary>
    public async Task ShowWorkingAsync(InboundMessage message, CancellationToken cancellationToken)
    {
        var status = SetStatusAsync(message, SearchingStatus);
        var conversation = message.Conversation;

        // A title, once set, stays: only a thread that had none when the message was read is asked again.
        if (message.SurfaceData?.GetValueOrDefault(SurfaceKeys.AssistantTitled) != "1"
            && message.Kind == InboundKind.Message && message.Text.Length > 0
            && (await conversations.GetContextAsync(conversation, cancellationToken)).GetValueOrDefault(TitledKey) != "1")
        {
            await conversations.SetContextAsync(conversation, new Dictionary<string, string> { [TitledKey] = "1" }, cancellationToken);
            try
            {
                await api.SetAssistantTitleAsync(conversation.Channel, conversation.Thread, TitleOf(message.Text), cancellationToken);
            }
            catch (Exception ex) when (ex is SlackApiException or HttpRequestException)
            {
                LogSignSkipped(logger, "assistant.threads.setTitle", ex);
            }
        }

        await status;
    }

    /// <summary>The status line's next state: drafting, or cleared once the reply is out.</summary>
    public Task ShowProgressAsync(InboundMessage message, Core.Surfaces.WorkProgress progress) =>
        SetStatusAsync(message, progress == Core.Surfaces.WorkProgress.Drafting ? DraftingStatus : string.Empty);

    /// <summary>The first question as a title: one line, at most <see cref="MaxTitle"/> characters.</summary>
    public static string TitleOf(string question)
    {
        var line = string.Join(' ', question.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return line.Length <= MaxTitle ? line : line[..(MaxTitle - 1)].TrimEnd() + "…";
    }

    /// <summary>
    /// Sets the thread's status line. Calls for one thread go out one at a time in order, only the newest waiting one is
    /// sent (an older status is superseded, so "searching" never lands after the status is cleared), each in one
    /// attempt: a rate-limited or failed call is skipped, never retried.
    /// </summary>
    private Task SetStatusAsync(InboundMessage message, string status)
    {
        var conversation = message.Conversation;
        var key = conversation.Key;
        var line = _status.GetOrAdd(key, _ => new StatusLine());
        lock (line)
        {
            line.Pending = status;
            if (line.Pumping)
            {
                return line.Pump;
            }

            line.Pumping = true;
        }

        // Started here, not queued to the thread pool: the first status is on its way before the answer can overtake it.
        var pump = PumpAsync(key, line, conversation.Channel, conversation.Thread);
        lock (line)
        {
            if (line.Pumping)
            {
                line.Pump = pump;
            }
        }

        return pump;
    }

    private async Task PumpAsync(string key, StatusLine line, string channel, string threadTs)
    {
        while (true)
        {
            string status;
            lock (line)
            {
                if (line.Pending is null)
                {
                    line.Pumping = false;
                    if (line.Shown.Length == 0)
                    {
                        _status.TryRemove(new KeyValuePair<string, StatusLine>(key, line));
                    }

                    return;
                }

                status = line.Pending;
                line.Pending = null;
            }

            if (status == line.Shown)
            {
                continue;
            }

            try
            {
                await api.SetAssistantStatusAsync(channel, threadTs, status, CancellationToken.None);
                line.Shown = status;
            }
            catch (Exception ex) when (ex is SlackApiException or HttpRequestException or TaskCanceledException)
            {
                // Only a sign: the answer goes out regardless, and a cleared status is also cleared by the reply.
                LogSignSkipped(logger, "assistant.threads.setStatus", ex);
                if (status.Length == 0)
                {
                    line.Shown = string.Empty;
                }
            }
        }
    }

    private async Task OfferPromptsAsync(string channel, string threadTs)
    {
        try
        {
            await api.SetSuggestedPromptsAsync(channel, threadTs, PromptsTitle, SuggestedPrompts, CancellationToken.None);
        }
        catch (Exception ex) when (ex is SlackApiException or HttpRequestException or TaskCanceledException)
        {
            LogSignSkipped(logger, "assistant.threads.setSuggestedPrompts", ex);
        }
    }

    private sealed class StatusLine
    {
        public string? Pending { get; set; }

        public bool Pumping { get; set; }

        public Task Pump { get; set; } = Task.CompletedTask;

        /// <summary>What Slack shows now, as far as we know ("" for nothing).</summary>
        public string Shown { get; set; } = string.Empty;
    }

    // Debug: under Slack's rate limits a skipped sign is expected, and it is never retried.
    [LoggerMessage(Level = LogLevel.Debug, Message = "Slack: {Method} was skipped")]
    private static partial void LogSignSkipped(ILogger logger, string method, Exception exception);
}
