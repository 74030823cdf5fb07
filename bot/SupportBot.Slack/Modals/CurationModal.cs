using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SupportBot.Core.Conversations;
using SupportBot.Core.Curation;
using SupportBot.Core.Escalations;
using SupportBot.Core.Insights;
using SupportBot.Core.Surfaces;
using SupportBot.Slack.Events;
using SupportBot.Slack.WebApi;

namespace SupportBot.Slack.Modals;

/// <summary>
/// The "Curate sources" message shortcut on one of the bot's answers: for members of <c>Curation:ChatGroups</c>, a
/// modal to hide, boost or reset one of the articles the answer cited (the same curation as the dashboard's, audited).
/// Everyone else is told privately that curation from chat is for curators.
/// </summary>
internal sealed partial class CurationModal(
    SlackApiClient api,
    IInsightsStore insights,
    CurationService curation,
    IEnumerable<IResponderDirectory> directories,
    IOptions<CurationOptions> options,
    TimeProvider time,
    ILogger<CurationModal> logger)
{
    public const string CallbackId = "curate_sources";
    private const string ArticleBlock = "article";
    private const string StateBlock = "state";

    private static readonly (CurationState State, string Value, string Label)[] States =
    [
        (CurationState.Hidden, "hidden", "Hide: never cite it"),
        (CurationState.Boosted, "boosted", "Boost: weigh it more"),
        (CurationState.Normal, "normal", "Reset"),
    ];

    /// <summary>Opens the modal for the answer <paramref name="message"/> is; or the reason it cannot, to tell the person privately.</summary>
    public async Task<string?> TryOpenAsync(string triggerId, JsonElement message, string userId, string channel, CancellationToken cancellationToken)
    {
        using var budget = new CancellationTokenSource(EscalationModals.OpenBudget, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, budget.Token);
        try
        {
            if (!await IsCuratorAsync(userId, channel, linked.Token))
            {
                return "Curating sources from chat is for support-ops curators (Curation:ChatGroups); the dashboard's Articles panel is the other way.";
            }

            if (AnswerIdOf(message) is not { } answerId || await insights.FindAnswerAsync(answerId, linked.Token) is not { SourceIds.Count: > 0 } answer)
            {
                return "That message is not one of my answers with sources (or it is older than the answers I keep).";
            }

            await api.OpenViewAsync(triggerId, Build(answerId, answer, channel), linked.Token);
            return null;
        }
        catch (Exception ex) when (ex is SlackApiException or HttpRequestException || (ex is OperationCanceledException && budget.IsCancellationRequested && !cancellationToken.IsCancellationRequested))
        {
            LogOpenFailed(logger, ex);
            return "The curation form could not open; try again.";
        }
    }

    /// <summary>A submitted modal: the curator is checked again, the article must be one the answer cited.</summary>
    public async Task<JsonObject?> SubmitAsync(JsonElement payload, CancellationToken cancellationToken)
    {
        var view = payload.TryGetProperty("view"u8, out var v) ? v : default;
        var metadata = (SlackEventReader.Str(view, "private_metadata"u8) ?? string.Empty).Split('\n');
        var user = payload.TryGetProperty("user"u8, out var u) ? u : default;
        var userId = SlackEventReader.Str(user, "id"u8);
        var values = view.ValueKind == JsonValueKind.Object && view.TryGetProperty("state"u8, out var state) && state.TryGetProperty("values"u8, out var vs) ? vs : default;
        var articleId = Selected(values, ArticleBlock, "selected_option"u8);
        var chosen = States.FirstOrDefault(s => s.Value == Selected(values, StateBlock, "selected_option"u8));
        if (metadata.Length != 2 || userId is null || articleId is null || chosen.Value is null)
        {
            return Errors(StateBlock, "Choose an article and what to do with it.");
        }

        var (answerId, channel) = (metadata[0], metadata[1]);
        if (!await IsCuratorAsync(userId, channel, cancellationToken))
        {
            return Errors(ArticleBlock, "Only support-ops curators may change sources.");
        }

        if (await insights.FindAnswerAsync(answerId, cancellationToken) is not { } answer || answer.SourceIds?.Contains(articleId) != true)
        {
            return Errors(ArticleBlock, "That article is not one this answer cited.");
        }

        var team = payload.TryGetProperty("team"u8, out var t) ? SlackEventReader.Str(t, "id"u8) : null;
        var name = SlackEventReader.Str(user, "username"u8) ?? SlackEventReader.Str(user, "name"u8) ?? userId;
        await curation.SetAsync(articleId, chosen.State, new CurationActor(SlackEventReader.SurfaceName, team, userId, name, $"slack:{channel}"), cancellationToken);
        return null;
    }

    private async Task<bool> IsCuratorAsync(string userId, string channel, CancellationToken cancellationToken)
    {
        // Curation:ChatGroups may hold both platforms' groups; Slack checks its user groups (S…), not Entra ID object ids.
        var groups = options.Value.ChatGroups.Where(g => !Guid.TryParse(g, out _)).ToList();
        if (groups.Count == 0 || directories.FirstOrDefault(d => d.Surface == SlackEventReader.SurfaceName) is not { } directory)
        {
            return false;
        }

        var asker = new InboundMessage(string.Empty, new ConversationRef(SlackEventReader.SurfaceName, channel, string.Empty), userId, userId, string.Empty, time.GetUtcNow());
        try
        {
            return await directory.IsMemberAsync(asker, [.. groups], cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogCheckFailed(logger, ex.GetType().Name);
            return false;
        }
    }

    /// <summary>The answer id the message's Not helpful button carries.</summary>
    private static string? AnswerIdOf(JsonElement message)
    {
        if (message.ValueKind != JsonValueKind.Object || !message.TryGetProperty("blocks"u8, out var blocks) || blocks.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        foreach (var block in blocks.EnumerateArray())
        {
            if (block.TryGetProperty("elements"u8, out var elements) && elements.ValueKind == JsonValueKind.Array)
            {
                foreach (var element in elements.EnumerateArray())
                {
                    if (SlackEventReader.Str(element, "action_id"u8) == ActionIds.NotHelpful && SlackEventReader.Str(element, "value"u8) is { } value && value != ActionIds.NotHelpful)
                    {
                        return value;
                    }
                }
            }
        }

        return null;
    }

    internal static JsonObject Build(string answerId, QuestionRecord answer, string channel)
    {
        var ids = answer.SourceIds ?? [];
        var titles = answer.Sources ?? [];
        var options = new JsonArray();
        for (var i = 0; i < ids.Count; i++)
        {
            if (ids[i].Length == 0)
            {
                continue;
            }

            var title = i < titles.Count ? titles[i] : ids[i];
            options.Add(new JsonObject { ["text"] = PlainText(title.Length <= 75 ? title : title[..74] + "…"), ["value"] = ids[i] });
        }

        return new JsonObject
        {
            ["type"] = "modal",
            ["callback_id"] = CallbackId,
            ["private_metadata"] = $"{answerId}\n{channel}",
            ["title"] = PlainText("Curate sources"),
            ["submit"] = PlainText("Apply"),
            ["close"] = PlainText("Cancel"),
            ["blocks"] = new JsonArray(
                new JsonObject
                {
                    ["type"] = "input",
                    ["block_id"] = ArticleBlock,
                    ["label"] = PlainText("Article this answer cited"),
                    ["element"] = new JsonObject { ["type"] = "static_select", ["action_id"] = ArticleBlock, ["options"] = options },
                },
                new JsonObject
                {
                    ["type"] = "input",
                    ["block_id"] = StateBlock,
                    ["label"] = PlainText("What to do"),
                    ["element"] = new JsonObject
                    {
                        ["type"] = "radio_buttons",
                        ["action_id"] = StateBlock,
                        ["options"] = new JsonArray([.. States.Select(s => (JsonNode)new JsonObject { ["text"] = PlainText(s.Label), ["value"] = s.Value })]),
                    },
                }),
        };
    }

    private static JsonObject PlainText(string text) => new() { ["type"] = "plain_text", ["text"] = text };

    private static JsonObject Errors(string block, string message) =>
        new() { ["response_action"] = "errors", ["errors"] = new JsonObject { [block] = message } };

    private static string? Selected(JsonElement values, string block, ReadOnlySpan<byte> property) =>
        values.ValueKind == JsonValueKind.Object && values.TryGetProperty(block, out var b) && b.TryGetProperty(block, out var element)
            && element.TryGetProperty(property, out var option) && option.ValueKind == JsonValueKind.Object
            ? SlackEventReader.Str(option, "value"u8)
            : null;

    [LoggerMessage(Level = LogLevel.Information, Message = "Slack: the curation modal did not open")]
    private static partial void LogOpenFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack: curator groups could not be checked ({Error}); curation from chat was refused")]
    private static partial void LogCheckFailed(ILogger logger, string error);
}
