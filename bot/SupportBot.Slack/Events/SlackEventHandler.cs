using System.Text.Json;
using Microsoft.Extensions.Logging;
using SupportBot.Core.Channels;
using SupportBot.Core.Conversations;
using SupportBot.Core.Queue;
using SupportBot.Slack.Workspaces;

namespace SupportBot.Slack.Events;

/// <summary>What became of an Events API delivery.</summary>
internal enum EventOutcome
{
    /// <summary>A <c>url_verification</c>: echo the challenge.</summary>
    Challenge,

    Accepted,

    /// <summary>Seen before (Slack's retry, or another replica's copy): acknowledged without work.</summary>
    Duplicate,

    /// <summary>Handed to the thread check; answered if the bot is in the thread.</summary>
    Deferred,

    Ignored,

    /// <summary>The workspace sent more than its share: answered 429 so that Slack retries it later.</summary>
    RateLimited,
}

/// <summary>The result of handling a delivery; <see cref="Challenge"/> is set for url_verification.</summary>
internal readonly record struct EventResult(EventOutcome Outcome, string? Challenge = null);

/// <summary>
/// Handles an Events API envelope, the same for HTTP and Socket Mode: verification challenges, and
/// event callbacks handed to the <see cref="InboundGateway"/> (which answers each <c>event_id</c> once
/// across replicas). Only the cheap checks happen here; the answer is drafted by the worker.
/// </summary>
internal sealed partial class SlackEventHandler(
    InboundGateway gateway,
    IConversationStore conversations,
    SlackBotIdentity identity,
    SlackThreadResolver threads,
    SlackWorkspaceGate workspaces,
    ChannelDirectory channels,
    Assistant.SlackAssistant assistant,
    TimeProvider time,
    ILogger<SlackEventHandler> logger)
{
    public async ValueTask<EventResult> HandleAsync(JsonElement envelope, CancellationToken cancellationToken)
    {
        switch (SlackEventReader.Str(envelope, "type"u8))
        {
            case "url_verification":
                return new EventResult(EventOutcome.Challenge, SlackEventReader.Str(envelope, "challenge"u8) ?? string.Empty);
            case "event_callback":
                break;
            default:
                return new EventResult(EventOutcome.Ignored);
        }

        var ev = envelope.TryGetProperty("event"u8, out var e) ? e : default;
        var userTeam = SlackEventReader.Str(ev, "user_team"u8);
        var check = await workspaces.CheckAsync("event", SlackEventReader.Str(envelope, "team_id"u8), SlackEventReader.Str(envelope, "enterprise_id"u8), userTeam, cancellationToken);
        switch (check)
        {
            case WorkspaceCheck.RateLimited:
                return new EventResult(EventOutcome.RateLimited);
            case not WorkspaceCheck.Allowed:
                // 200 without work: a refusal Slack would retry is no better for it.
                return new EventResult(EventOutcome.Ignored);
        }

        if (await assistant.HandleEventAsync(ev, cancellationToken))
        {
            return new EventResult(EventOutcome.Accepted);
        }

        var reading = SlackEventReader.Read(envelope, identity.Current?.UserId, time.GetUtcNow());
        if (reading.Message is { } read && workspaces.IsExternal(userTeam))
        {
            reading = reading with { Message = read with { ExternalUser = true } };
        }

        switch (reading.Decision)
        {
            case EventDecision.Answer:
                return await AcceptAsync(await assistant.InThreadAsync(reading.Message!, cancellationToken), cancellationToken);
            case EventDecision.NewPost when channels.For(reading.Message!.Conversation).Mode == ChannelMode.Answer:
                return await AcceptAsync(reading.Message, cancellationToken);
            case EventDecision.NewPost:
                LogIgnored(logger, "channel message outside a thread");
                return new EventResult(EventOutcome.Ignored);
            case EventDecision.FollowUp:
                var message = reading.Message!;
                var history = await conversations.GetHistoryAsync(message.Conversation, cancellationToken);
                if (history.HasBotTurn())
                {
                    return await AcceptAsync(message, cancellationToken);
                }

                // Not answered in state: the question may still be waiting or being drafted (then the follow-up waits
                // for its answer), or the thread expired from state (then the thread itself decides); either way off
                // the request path, since conversations.replies is a rate-limited Web API call.
                return threads.TryDefer(message) ? new EventResult(EventOutcome.Deferred) : new EventResult(EventOutcome.Ignored);
            default:
                LogIgnored(logger, reading.Reason);
                return new EventResult(EventOutcome.Ignored);
        }
    }

    private async ValueTask<EventResult> AcceptAsync(InboundMessage message, CancellationToken cancellationToken) =>
        await gateway.AcceptAsync(message, cancellationToken) == AcceptResult.Accepted
            ? new EventResult(EventOutcome.Accepted)
            : new EventResult(EventOutcome.Duplicate);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Slack event ignored: {Reason}")]
    private static partial void LogIgnored(ILogger logger, string reason);
}
