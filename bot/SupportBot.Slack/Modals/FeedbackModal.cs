using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using SupportBot.Core.Conversations;
using SupportBot.Core.Insights;
using SupportBot.Core.Queue;
using SupportBot.Core.Surfaces;
using SupportBot.Slack.Events;
using SupportBot.Slack.WebApi;

namespace SupportBot.Slack.Modals;

/// <summary>
/// After "Not helpful": a modal asking why (wrong, outdated, incomplete, did not answer the question) with an optional
/// comment. The vote itself is counted from the click; the reason, when given, is queued as a
/// <see cref="ActionIds.FeedbackReason"/> action for the same answer. Closing the modal leaves the bare vote.
/// </summary>
internal sealed partial class FeedbackModal(SlackApiClient api, InboundGateway gateway, TimeProvider time, ILogger<FeedbackModal> logger)
{
    public const string CallbackId = "feedback_reason";
    private const string ReasonBlock = "reason";
    private const string CommentBlock = "comment";

    /// <summary>Opens the modal for <paramref name="answerId"/> in <paramref name="thread"/>; false when Slack refused or took too long.</summary>
    public async Task<bool> TryOpenAsync(string triggerId, string answerId, ConversationRef thread, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(thread);
        if (await ModalOpening.OpenWithinBudgetAsync(api, triggerId, _ => Task.FromResult(Build(answerId, thread)), time, cancellationToken) is not { } failed)
        {
            return true;
        }

        LogOpenFailed(logger, failed);
        return false;
    }

    /// <summary>The submitted modal: refused without a reason (the modal stays open), else queued and closed.</summary>
    public async Task<JsonObject?> SubmitAsync(JsonElement payload, CancellationToken cancellationToken)
    {
        var view = payload.TryGetProperty("view"u8, out var v) ? v : default;
        var values = view.ValueKind == JsonValueKind.Object && view.TryGetProperty("state"u8, out var state) && state.TryGetProperty("values"u8, out var vs) ? vs : default;
        var reasonName = Selected(values);
        if (!FeedbackReasons.TryParse(reasonName, out var reason))
        {
            return new JsonObject { ["response_action"] = "errors", ["errors"] = new JsonObject { [ReasonBlock] = "Choose what was wrong with the answer." } };
        }

        var metadata = (SlackEventReader.Str(view, "private_metadata"u8) ?? string.Empty).Split('\n');
        var user = payload.TryGetProperty("user"u8, out var u) ? u : default;
        var userId = SlackEventReader.Str(user, "id"u8);
        if (metadata.Length != 3 || metadata.Any(string.IsNullOrEmpty) || userId is null)
        {
            LogLostOrigin(logger);
            return null; // nothing to attach the reason to; the vote was counted from the click
        }

        var (answerId, channel, threadTs) = (metadata[0], metadata[1], metadata[2]);
        var comment = Comment(values);
        var viewId = SlackEventReader.Str(view, "id"u8) ?? Guid.NewGuid().ToString("N");
        await gateway.AcceptAsync(
            new InboundMessage(
                $"view:{viewId}",
                new ConversationRef(SlackEventReader.SurfaceName, channel, threadTs),
                userId,
                SlackEventReader.Str(user, "username"u8) ?? SlackEventReader.Str(user, "name"u8) ?? userId,
                comment,
                time.GetUtcNow(),
                InboundKind.Action,
                ActionIds.FeedbackReason,
                FeedbackReasons.Pack(reason, answerId),
                new Dictionary<string, string> { [SurfaceKeys.Channel] = channel }),
            cancellationToken);
        return null;
    }

    internal static JsonObject Build(string answerId, ConversationRef thread) => new()
    {
        ["type"] = "modal",
        ["callback_id"] = CallbackId,
        ["private_metadata"] = $"{answerId}\n{thread.Channel}\n{thread.Thread}",
        ["title"] = PlainText("What went wrong?"),
        ["submit"] = PlainText("Send"),
        ["close"] = PlainText("Skip"),
        ["blocks"] = new JsonArray(
            new JsonObject
            {
                ["type"] = "input",
                ["block_id"] = ReasonBlock,
                ["label"] = PlainText("The answer was"),
                ["element"] = new JsonObject
                {
                    ["type"] = "radio_buttons",
                    ["action_id"] = ReasonBlock,
                    ["options"] = new JsonArray([.. FeedbackReasons.All.Select(r => (JsonNode)new JsonObject { ["text"] = PlainText(r.Label), ["value"] = r.Name })]),
                },
            },
            new JsonObject
            {
                ["type"] = "input",
                ["block_id"] = CommentBlock,
                ["optional"] = true,
                ["label"] = PlainText("Anything the support-ops team should know?"),
                ["element"] = new JsonObject
                {
                    ["type"] = "plain_text_input",
                    ["action_id"] = CommentBlock,
                    ["multiline"] = true,
                    ["max_length"] = FeedbackReasons.MaxComment,
                },
            }),
    };

    private static JsonObject PlainText(string text) => new() { ["type"] = "plain_text", ["text"] = text };

    private static string? Selected(JsonElement values) =>
        values.ValueKind == JsonValueKind.Object && values.TryGetProperty(ReasonBlock, out var block) && block.TryGetProperty(ReasonBlock, out var element)
            && element.TryGetProperty("selected_option"u8, out var option) && option.ValueKind == JsonValueKind.Object
            ? SlackEventReader.Str(option, "value"u8)
            : null;

    private static string Comment(JsonElement values) =>
        values.ValueKind == JsonValueKind.Object && values.TryGetProperty(CommentBlock, out var block) && block.TryGetProperty(CommentBlock, out var element)
            ? (SlackEventReader.Str(element, "value"u8) ?? string.Empty).Trim()
            : string.Empty;

    [LoggerMessage(Level = LogLevel.Information, Message = "Slack: the feedback modal did not open; the vote stands without a reason")]
    private static partial void LogOpenFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack: a feedback modal came back without its answer; the reason was dropped")]
    private static partial void LogLostOrigin(ILogger logger);
}
