using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SupportBot.Core.Conversations;
using SupportBot.Core.Curation;
using SupportBot.Core.Escalations;
using SupportBot.Core.Insights;
using SupportBot.Core.Surfaces;
using SupportBot.Teams.Activities;
using SupportBot.Teams.Cards;

namespace SupportBot.Teams.Extensions;

/// <summary>
/// The "Curate sources" message action (the manifest's <c>composeExtensions</c> command <see cref="CommandId"/>, in the
/// "…" menu of a message) on one of the bot's answers: for members of the Entra ID groups in <c>Curation:ChatGroups</c>,
/// a dialog to hide, boost or reset one of the articles the answer cited, the same curation as the dashboard's and
/// audited. <c>composeExtension/fetchTask</c> opens the dialog; <c>composeExtension/submitAction</c> applies it.
/// </summary>
internal sealed partial class CurationAction(
    IInsightsStore insights,
    CurationService curation,
    IEnumerable<IResponderDirectory> directories,
    IOptions<CurationOptions> options,
    TimeProvider time,
    ILogger<CurationAction> logger)
{
    public const string CommandId = "curateSources";
    public const string FetchTaskInvoke = "composeExtension/fetchTask";
    public const string SubmitActionInvoke = "composeExtension/submitAction";

    private const string ArticleInput = "article";
    private const string StateInput = "state";
    private const string AnswerKey = "answerId";

    private static readonly (CurationState State, string Value, string Label, string Done)[] States =
    [
        (CurationState.Hidden, "hidden", "Hide: never cite it", "hidden: it will not be cited"),
        (CurationState.Boosted, "boosted", "Boost: weigh it more", "boosted: it weighs more when it matches"),
        (CurationState.Normal, "normal", "Reset", "reset to normal"),
    ];

    /// <summary>The dialog for the answer the action was used on, or a message saying why not.</summary>
    public async Task<JsonObject> FetchAsync(Activity activity, CancellationToken cancellationToken)
    {
        var value = activity.Value ?? default;
        if (TaskModule.Str(value, "commandId") != CommandId)
        {
            return TaskModule.Message("That command is not one SupportBot knows.");
        }

        if (!await IsCuratorAsync(activity, cancellationToken))
        {
            return TaskModule.Message("Curating sources from chat is for support-ops curators (Curation:ChatGroups); the dashboard's Articles panel is the other way.");
        }

        var answerId = AnswerIdOf(value) ?? await AnswerOfMessageAsync(activity, value, cancellationToken);
        if (answerId is null || await insights.FindAnswerAsync(answerId, cancellationToken) is not { SourceIds.Count: > 0 } answer)
        {
            return TaskModule.Message("That message is not one of my answers with sources (or it is older than the answers I keep).");
        }

        return TaskModule.Dialog("Curate sources", Card(answerId, answer, error: null));
    }

    /// <summary>The submitted dialog: the curator is checked again and the article must be one the answer cited.</summary>
    public async Task<JsonObject> SubmitAsync(Activity activity, CancellationToken cancellationToken)
    {
        var value = activity.Value ?? default;
        var data = value.ValueKind == JsonValueKind.Object && value.TryGetProperty("data"u8, out var d) ? d : default;
        var answerId = TaskModule.Str(data, AnswerKey);
        var articleId = TaskModule.Str(data, ArticleInput);
        var chosen = States.FirstOrDefault(s => s.Value == TaskModule.Str(data, StateInput));
        if (TaskModule.Str(value, "commandId") != CommandId || answerId is null)
        {
            return TaskModule.Message("That command is not one SupportBot knows.");
        }

        if (!await IsCuratorAsync(activity, cancellationToken))
        {
            return TaskModule.Message("Only support-ops curators may change sources.");
        }

        if (await insights.FindAnswerAsync(answerId, cancellationToken) is not { } answer)
        {
            return TaskModule.Message("That answer is older than the answers I keep.");
        }

        if (articleId is null || chosen.Value is null)
        {
            return TaskModule.Dialog("Curate sources", Card(answerId, answer, "Choose an article and what to do with it."));
        }

        if (answer.SourceIds?.Contains(articleId) != true)
        {
            return TaskModule.Dialog("Curate sources", Card(answerId, answer, "That article is not one this answer cited."));
        }

        var user = activity.From;
        var actor = new CurationActor(
            TeamsSurface.SurfaceName, activity.TenantId, user?.AadObjectId ?? user?.Id ?? string.Empty, user?.Name ?? user?.Id ?? string.Empty,
            $"teams:{activity.Conversation?.Id}");
        await curation.SetAsync(articleId, chosen.State, actor, cancellationToken);
        return TaskModule.Message($"{TitleOf(answer, articleId)}: {chosen.Done}.");
    }

    private async Task<bool> IsCuratorAsync(Activity activity, CancellationToken cancellationToken)
    {
        // Curation:ChatGroups may hold both platforms' groups; Teams checks the Entra ID ones (object ids).
        var groups = options.Value.ChatGroups.Where(g => Guid.TryParse(g, out _)).ToList();
        if (groups.Count == 0 || directories.FirstOrDefault(d => d.Surface == TeamsSurface.SurfaceName) is not { } directory)
        {
            return false;
        }

        var presser = new InboundMessage(
            string.Empty, TeamsSurfaceData.Conversation(activity.Conversation?.Id ?? string.Empty), activity.From?.Id ?? string.Empty,
            activity.From?.Name ?? string.Empty, string.Empty, time.GetUtcNow(), SurfaceData: TeamsSurfaceData.From(activity, TeamsSurfaceData.Reply),
            Tenant: activity.TenantId);
        try
        {
            return await directory.IsMemberAsync(presser, groups, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogCheckFailed(logger, ex.GetType().Name);
            return false;
        }
    }

    /// <summary>
    /// The answer an AI message carries (it has no Not helpful button: Teams' feedback buttons stand for it), as the surface
    /// remembered it when it posted the message: by the message's id (<c>messagePayload.id</c>) in the invoke's conversation.
    /// </summary>
    private async Task<string?> AnswerOfMessageAsync(Activity activity, JsonElement value, CancellationToken cancellationToken)
    {
        if (value.ValueKind != JsonValueKind.Object || !value.TryGetProperty("messagePayload"u8, out var message)
            || TaskModule.Str(message, "id") is not { Length: > 0 } messageId || activity.Conversation?.Id is not { Length: > 0 } conversationId)
        {
            return null;
        }

        return await insights.FindAnswerOfMessageAsync(TeamsSurface.SurfaceName, TeamsSurfaceData.Conversation(conversationId).Channel, messageId, cancellationToken);
    }

    /// <summary>
    /// The answer id the message's Not helpful button carries (cards posted with <c>Teams:AiMessages</c> off): the message payload's Adaptive Card (its content is the
    /// card's JSON, as an object or as a string).
    /// </summary>
    internal static string? AnswerIdOf(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Object || !value.TryGetProperty("messagePayload"u8, out var message)
            || !message.TryGetProperty("attachments"u8, out var attachments) || attachments.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        foreach (var attachment in attachments.EnumerateArray())
        {
            if (TaskModule.Str(attachment, "contentType") != AnswerCardRenderer.ContentType || !attachment.TryGetProperty("content"u8, out var content))
            {
                continue;
            }

            JsonNode? card;
            try
            {
                card = content.ValueKind == JsonValueKind.String ? JsonNode.Parse(content.GetString()!) : JsonNode.Parse(content.GetRawText());
            }
            catch (JsonException)
            {
                continue;
            }

            var found = card?["actions"]?.AsArray()
                .Select(a => a?["data"])
                .FirstOrDefault(data => data?[CardVerbs.DataKey]?.GetValueKind() == JsonValueKind.String && data[CardVerbs.DataKey]!.GetValue<string>() == CardVerbs.NotHelpful);
            if (found?[CardVerbs.ValueKey] is JsonValue answerId && answerId.TryGetValue<string>(out var id) && id.Length > 0)
            {
                return id;
            }
        }

        return null;
    }

    internal static JsonObject Card(string answerId, QuestionRecord answer, string? error)
    {
        var ids = answer.SourceIds ?? [];
        var choices = new JsonArray();
        for (var i = 0; i < ids.Count; i++)
        {
            if (ids[i].Length > 0)
            {
                choices.Add(new JsonObject { ["title"] = TitleOf(answer, ids[i]), ["value"] = ids[i] });
            }
        }

        var body = new JsonArray
        {
            new JsonObject { ["type"] = "Input.ChoiceSet", ["id"] = ArticleInput, ["label"] = "Article this answer cited", ["isRequired"] = true, ["errorMessage"] = "Choose an article", ["choices"] = choices },
            new JsonObject
            {
                ["type"] = "Input.ChoiceSet", ["id"] = StateInput, ["label"] = "What to do", ["style"] = "expanded", ["isRequired"] = true, ["errorMessage"] = "Choose what to do",
                ["choices"] = new JsonArray([.. States.Select(s => (JsonNode)new JsonObject { ["title"] = s.Label, ["value"] = s.Value })]),
            },
        };
        if (error is not null)
        {
            body.Insert(0, new JsonObject { ["type"] = "TextBlock", ["text"] = error, ["color"] = "Attention", ["wrap"] = true });
        }

        return new JsonObject
        {
            ["type"] = "AdaptiveCard",
            ["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json",
            ["version"] = AnswerCardRenderer.CardVersion,
            ["body"] = body,
            ["actions"] = new JsonArray(new JsonObject { ["type"] = "Action.Submit", ["title"] = "Apply", ["data"] = new JsonObject { [AnswerKey] = answerId } }),
        };
    }

    private static string TitleOf(QuestionRecord answer, string articleId)
    {
        var index = answer.SourceIds?.ToList().IndexOf(articleId) ?? -1;
        var title = index >= 0 && answer.Sources is { } titles && index < titles.Count ? titles[index] : articleId;
        return title.Length <= 75 ? title : title[..74] + "…";
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Teams: curator groups could not be checked ({Error}); curation from chat was refused")]
    private static partial void LogCheckFailed(ILogger logger, string error);
}
