using Microsoft.Extensions.Logging;
using SupportBot.Core.Conversations;
using SupportBot.Core.Surfaces;
using SupportBot.Slack.BlockKit;
using SupportBot.Slack.Events;
using SupportBot.Slack.WebApi;

namespace SupportBot.Slack;

/// <summary>
/// Slack as the pipeline sees it: replies are Block Kit messages posted into the thread the question
/// came from; the working sign is an <c>eyes</c> reaction on the question.
/// </summary>
public sealed partial class SlackSurface(SlackApiClient api, ILogger<SlackSurface> logger) : IChatSurface
{
    public const string WorkingReaction = "eyes";

    public string Name => SlackEventReader.SurfaceName;

    public async Task SendAsync(InboundMessage inReplyTo, Reply reply, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inReplyTo);
        var rendered = SlackReplyRenderer.Render(reply);
        var conversation = inReplyTo.Conversation;
        await api.PostMessageAsync(new SlackPost(conversation.Channel, rendered.Text, rendered.Blocks, conversation.Thread), cancellationToken);
    }

    public async Task IndicateWorkingAsync(InboundMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.SurfaceData?.GetValueOrDefault(SurfaceKeys.Ts) is not { } ts)
        {
            return;
        }

        try
        {
            await api.AddReactionAsync(message.Conversation.Channel, ts, WorkingReaction, cancellationToken);
        }
        catch (Exception ex) when (ex is SlackApiException or HttpRequestException)
        {
            // Only a sign: the answer still goes out.
            LogReactionFailed(logger, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack: could not add the working reaction")]
    private static partial void LogReactionFailed(ILogger logger, Exception exception);
}
