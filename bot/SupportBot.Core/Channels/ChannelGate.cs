using Microsoft.Extensions.Logging;
using SupportBot.Core.Conversations;
using SupportBot.Core.Escalations;

namespace SupportBot.Core.Channels;

/// <summary>What the channel's policy says about a message.</summary>
public enum ChannelDecision
{
    Allowed,

    /// <summary>The bot is off in this channel: the message is left alone.</summary>
    Off,

    /// <summary>The channel is limited to some user groups and the asker is in none of them (or the platform could not say).</summary>
    NotAllowed,
}

/// <summary>
/// Applies the channels file to a message: off channels, who may ask (user groups, checked through the platform, as
/// escalation responders are), and the daily answer cap. Direct messages follow no channel's policy.
/// </summary>
public sealed partial class ChannelGate(ChannelDirectory channels, IEnumerable<IResponderDirectory> directories, IDailyCounters counters, TimeProvider time, ILogger<ChannelGate> logger)
{
    private readonly Dictionary<string, IResponderDirectory> _directories = directories.ToDictionary(d => d.Surface, StringComparer.Ordinal);

    public const string NotAllowedText = "SupportBot answers in this channel for members of its support groups only. Ask your lead to add you, or write to me directly.";

    /// <summary>
    /// The policy for <paramref name="message"/>: its channel's, or none (the defaults without limits) in a direct
    /// conversation. A message written beside a channel (<see cref="InboundMessage.ContextChannel"/>: a Slack assistant
    /// thread) takes that channel's knowledge scope, its product areas and sources; the rest of the channel's policy
    /// (mode, who may ask, the cap, privacy, the tag) is about the channel's own threads and does not apply to the
    /// asker's conversation with the bot.
    /// </summary>
    public ChannelPolicy PolicyFor(InboundMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.ContextChannel is { Length: > 0 } context)
        {
            var beside = channels.For(new ConversationRef(message.Conversation.Surface, context, string.Empty));
            return ChannelPolicy.Default with { Id = beside.Id, Name = beside.Name, Areas = beside.Areas, Sources = beside.Sources };
        }

        return message.Scope == ConversationScope.Direct ? ChannelPolicy.Default : channels.For(message.Conversation);
    }

    public async Task<ChannelDecision> CheckAsync(InboundMessage message, ChannelPolicy policy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(policy);
        if (policy.Mode == ChannelMode.Off)
        {
            return ChannelDecision.Off;
        }

        if (policy.AllowedGroups.Count == 0)
        {
            return ChannelDecision.Allowed;
        }

        if (!_directories.TryGetValue(message.Conversation.Surface, out var directory))
        {
            return ChannelDecision.NotAllowed; // no way to check on this surface: closed, as configured
        }

        try
        {
            return await directory.IsMemberAsync(message, policy.AllowedGroups, cancellationToken) ? ChannelDecision.Allowed : ChannelDecision.NotAllowed;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogCheckFailed(logger, message.Conversation.Surface, ex.GetType().Name);
            return ChannelDecision.NotAllowed;
        }
    }

    /// <summary>Counts one answer in the channel today; false when that goes over the channel's daily cap.</summary>
    public async Task<bool> TryCountAnswerAsync(InboundMessage message, ChannelPolicy policy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(policy);
        if (policy.DailyCap is not { } cap)
        {
            return true;
        }

        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        return await counters.IncrementAsync($"answers:{ChannelPolicy.IdOf(message.Conversation)}", today, cancellationToken) <= cap;
    }

    public static string CapReachedText(int cap) =>
        $"This channel has had its {cap} answers for today. Ask again tomorrow (UTC), or write to me directly.";

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not check the asker's groups on {Surface} ({Error}); the channel's question was refused")]
    private static partial void LogCheckFailed(ILogger logger, string surface, string error);
}
