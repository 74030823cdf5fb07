using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using SupportBot.Core.Conversations;
using SupportBot.Core.Escalations;
using SupportBot.Core.Queue;
using SupportBot.Core.Surfaces;
using SupportBot.Slack.Events;
using SupportBot.Slack.WebApi;

namespace SupportBot.Slack.Modals;

/// <summary>
/// After a rating button under a resolved escalation: a modal for an optional comment. The rating counts from the
/// click; the comment, when sent, is queued as <see cref="ActionIds.EscalationRateComment"/> with a value signed for it.
/// </summary>
internal sealed partial class RatingCommentModal(SlackApiClient api, EscalationOutcome outcomes, InboundGateway gateway, TimeProvider time, ILogger<RatingCommentModal> logger)
{
    public const string CallbackId = "escalation_rating_comment";
    private const string CommentBlock = "comment";

    public async Task TryOpenAsync(string triggerId, string escalationId, ConversationRef thread, CancellationToken cancellationToken)
    {
        var failed = await ModalOpening.OpenWithinBudgetAsync(
            api, triggerId, async ct => Build(escalationId, await outcomes.CommentValueAsync(escalationId, ct), thread), time, cancellationToken);
        if (failed is not null)
        {
            LogOpenFailed(logger, failed);
        }
    }

    public async Task<JsonObject?> SubmitAsync(JsonElement payload, CancellationToken cancellationToken)
    {
        var view = payload.TryGetProperty("view"u8, out var v) ? v : default;
        var metadata = (SlackEventReader.Str(view, "private_metadata"u8) ?? string.Empty).Split('\n');
        var user = payload.TryGetProperty("user"u8, out var u) ? u : default;
        var userId = SlackEventReader.Str(user, "id"u8);
        var comment = view.ValueKind == JsonValueKind.Object && view.TryGetProperty("state"u8, out var state) && state.TryGetProperty("values"u8, out var values)
            && values.TryGetProperty(CommentBlock, out var block) && block.TryGetProperty(CommentBlock, out var element)
            ? (SlackEventReader.Str(element, "value"u8) ?? string.Empty).Trim()
            : string.Empty;
        if (metadata.Length != 3 || metadata.Any(string.IsNullOrEmpty) || userId is null || comment.Length == 0)
        {
            return null; // nothing to add: the rating stands alone
        }

        var viewId = SlackEventReader.Str(view, "id"u8) ?? Guid.NewGuid().ToString("N");
        await gateway.AcceptAsync(
            new InboundMessage(
                $"view:{viewId}",
                new ConversationRef(SlackEventReader.SurfaceName, metadata[1], metadata[2]),
                userId,
                SlackEventReader.Str(user, "username"u8) ?? SlackEventReader.Str(user, "name"u8) ?? userId,
                comment,
                time.GetUtcNow(),
                InboundKind.Action,
                ActionIds.EscalationRateComment,
                metadata[0],
                new Dictionary<string, string> { [SurfaceKeys.Channel] = metadata[1] }),
            cancellationToken);
        return null;
    }

    internal static JsonObject Build(string escalationId, string value, ConversationRef thread) => new()
    {
        ["type"] = "modal",
        ["callback_id"] = CallbackId,
        ["private_metadata"] = $"{value}\n{thread.Channel}\n{thread.Thread}",
        ["title"] = new JsonObject { ["type"] = "plain_text", ["text"] = "Thanks for rating" },
        ["submit"] = new JsonObject { ["type"] = "plain_text", ["text"] = "Send" },
        ["close"] = new JsonObject { ["type"] = "plain_text", ["text"] = "Skip" },
        ["blocks"] = new JsonArray(new JsonObject
        {
            ["type"] = "input",
            ["block_id"] = CommentBlock,
            ["optional"] = true,
            ["label"] = new JsonObject { ["type"] = "plain_text", ["text"] = $"Anything to add about how {escalationId} was handled?" },
            ["element"] = new JsonObject
            {
                ["type"] = "plain_text_input",
                ["action_id"] = CommentBlock,
                ["multiline"] = true,
                ["max_length"] = EscalationRating.MaxComment,
            },
        }),
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Slack: the rating comment modal did not open; the rating stands without a comment")]
    private static partial void LogOpenFailed(ILogger logger, Exception exception);
}
