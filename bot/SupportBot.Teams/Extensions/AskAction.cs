using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using SupportBot.Core.Channels;
using SupportBot.Core.Conversations;
using SupportBot.Core.Queue;
using SupportBot.Core.Redaction;
using SupportBot.Teams.Activities;
using SupportBot.Teams.Cards;

namespace SupportBot.Teams.Extensions;

/// <summary>
/// The "Ask SupportBot" message action (the manifest's <c>composeExtensions</c> command <see cref="CommandId"/>, in the
/// "…" menu of any message). <c>composeExtension/fetchTask</c> opens a dialog with the message's text, masked, as the
/// question (the agent may trim it to the question); <c>composeExtension/submitAction</c> queues it like any question,
/// answered by the pipeline with the channel's settings and sent to the agent alone, in their personal chat with the bot,
/// with Share with the thread. Teams gives an action five seconds, too little for a model's answer, so the dialog only
/// says where the answer goes.
/// </summary>
internal sealed partial class AskAction(InboundGateway gateway, ChannelDirectory channels, TimeProvider time, ILogger<AskAction> logger)
{
    public const string CommandId = "askSupportBot";

    /// <summary>The dialog's input with the question; the submitted data carries it under this name.</summary>
    internal const string QuestionInput = "question";

    /// <summary>The thread root the dialog was opened on, kept in the dialog's submit data.</summary>
    internal const string RootKey = "root";

    /// <summary>As much of a message as a question takes (the escalation summary's limit).</summary>
    internal const int MaxQuestion = 1_500;

    internal const string Asked = "Asked. SupportBot answers you in your chat with it, with sources and Share with the thread.";

    /// <summary>The dialog for the message the action was used on, or a message saying why not.</summary>
    public JsonObject Fetch(Activity activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        if (Refusal(activity) is { } refused)
        {
            return TaskModule.Message(refused);
        }

        var payload = Payload(activity);
        var text = Clip(SensitiveDataRedactor.Redact(TextOf(payload)));
        if (text.Length == 0)
        {
            return TaskModule.Message("That message has no text to ask about.");
        }

        return TaskModule.Dialog("Ask SupportBot", Card(text, RootOf(activity, payload)));
    }

    /// <summary>The submitted question (the dialog's, else the message's text) queued once, for the asker alone.</summary>
    public async Task<JsonObject> SubmitAsync(Activity activity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(activity);
        if (Refusal(activity) is { } refused)
        {
            return TaskModule.Message(refused);
        }

        var value = activity.Value ?? default;
        var data = value.ValueKind == JsonValueKind.Object && value.TryGetProperty("data"u8, out var d) && d.ValueKind == JsonValueKind.Object ? d : default;
        var payload = Payload(activity);
        var question = Clip((TaskModule.Str(data, QuestionInput) ?? TextOf(payload)).Trim());
        if (question.Length == 0)
        {
            return TaskModule.Message("There is no question to ask: the message has no text.");
        }

        var personal = activity.Conversation!.ConversationType is "personal";
        var conversation = TeamsSurfaceData.Conversation(activity.Conversation.Id!);
        var root = TaskModule.Str(data, RootKey) is { Length: > 0 } kept ? kept : RootOf(activity, payload);
        var thread = personal || root is null || activity.Conversation.ConversationType is "groupChat" ? conversation : conversation with { Thread = root };
        var surfaceData = TeamsSurfaceData.From(activity, TeamsSurfaceData.Private);
        surfaceData[TeamsSurfaceData.ConversationId] = TeamsSurfaceData.ConversationIdOf(thread);
        var message = new InboundMessage(
            TeamsSurfaceData.DeliveryId(activity),
            thread,
            activity.From?.Id ?? string.Empty,
            activity.From?.Name ?? string.Empty,
            question,
            time.GetUtcNow(),
            SurfaceData: surfaceData,
            Tenant: activity.TenantId,
            Scope: personal ? ConversationScope.Direct : ConversationScope.Channel)
        {
            AskedPrivately = true,
        };
        if (await gateway.AcceptAsync(message, cancellationToken) == AcceptResult.Duplicate)
        {
            LogDuplicate(logger);
        }

        return TaskModule.Message(Asked);
    }

    /// <summary>Why the action may not be used here: a command we do not know, or a channel where SupportBot is off.</summary>
    private string? Refusal(Activity activity)
    {
        if (TaskModule.Str(activity.Value ?? default, "commandId") != CommandId)
        {
            return "That command is not one SupportBot knows.";
        }

        var personal = activity.Conversation!.ConversationType is "personal";
        return !personal && channels.For(TeamsSurfaceData.Conversation(activity.Conversation.Id!)).Mode == ChannelMode.Off
            ? "SupportBot is turned off in this channel."
            : null;
    }

    private static JsonElement Payload(Activity activity) =>
        activity.Value is { ValueKind: JsonValueKind.Object } value && value.TryGetProperty("messagePayload"u8, out var payload) && payload.ValueKind == JsonValueKind.Object
            ? payload
            : default;

    /// <summary><c>messagePayload.body.content</c> (HTML, or text) as plain text.</summary>
    internal static string TextOf(JsonElement payload) =>
        payload.ValueKind == JsonValueKind.Object && payload.TryGetProperty("body"u8, out var body) && TaskModule.Str(body, "content") is { } content
            ? MentionText.PlainText(content)
            : string.Empty;

    /// <summary>The thread the message belongs to: the message it replies to, else the message itself, else the activity's thread.</summary>
    private static string? RootOf(Activity activity, JsonElement payload)
    {
        if (TaskModule.Str(payload, "replyToId") is { Length: > 0 } parent)
        {
            return parent;
        }

        if (TaskModule.Str(payload, "id") is { Length: > 0 } id)
        {
            return id;
        }

        var conversation = TeamsSurfaceData.Conversation(activity.Conversation!.Id!);
        return conversation.Thread == conversation.Channel ? null : conversation.Thread;
    }

    private static string Clip(string text) => text.Length <= MaxQuestion ? text : text[..(MaxQuestion - 1)] + "…";

    internal static JsonObject Card(string question, string? root)
    {
        var data = new JsonObject();
        if (root is not null)
        {
            data[RootKey] = root;
        }

        return new JsonObject
        {
            ["type"] = "AdaptiveCard",
            ["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json",
            ["version"] = AnswerCardRenderer.CardVersion,
            ["body"] = new JsonArray
            {
                new JsonObject
                {
                    ["type"] = "TextBlock", ["wrap"] = true, ["isSubtle"] = true,
                    ["text"] = "SupportBot answers from the knowledge base in your chat with it. Only you see the answer until you share it.",
                },
                new JsonObject
                {
                    ["type"] = "Input.Text", ["id"] = QuestionInput, ["label"] = "Question (masked; trim it to the question)", ["isMultiline"] = true,
                    ["maxLength"] = MaxQuestion, ["isRequired"] = true, ["errorMessage"] = "Type the question", ["value"] = question,
                },
            },
            ["actions"] = new JsonArray(new JsonObject { ["type"] = "Action.Submit", ["title"] = "Ask", ["data"] = data }),
        };
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Teams redelivered an Ask SupportBot submission; already taken")]
    private static partial void LogDuplicate(ILogger logger);
}
