using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SupportBot.Core.Conversations;
using SupportBot.Core.Channels;
using SupportBot.Core.Escalations;
using SupportBot.Core.Insights;
using SupportBot.Core.Queue;
using SupportBot.Core.State;
using SupportBot.Core.Surfaces;
using SupportBot.Teams.Activities;
using SupportBot.Teams.Cards;
using SupportBot.Teams.Connector;

namespace SupportBot.Teams;

/// <summary>What to answer Bot Framework: an HTTP status and, for invokes, the invoke response body.</summary>
internal readonly record struct TeamsTurnResult(int StatusCode, AdaptiveCardInvokeResponse? Body = null)
{
    /// <summary>An invoke response of another shape (a message extension's dialog), written as it is.</summary>
    public System.Text.Json.Nodes.JsonObject? Raw { get; init; }

    public static readonly TeamsTurnResult Ok = new(200);
}

/// <summary>
/// Turns an authenticated activity into work for the pipeline: messages the bot should answer (a
/// mention in a channel, any personal message, a thread it already answered), feedback from card
/// buttons and reactions, the escalation form, and a welcome when the bot is added (<c>Teams:WelcomeMessage</c>). Everything is handed
/// to the <see cref="InboundGateway"/> and acknowledged at once; replies go out through the Connector.
/// </summary>
internal sealed partial class TeamsActivityHandler(
    InboundGateway gateway,
    IConversationStore conversations,
    EscalationForms forms,
    IInsightsStore insights,
    ChannelDirectory channels,
    EscalationOutcome outcomes,
    Extensions.CurationAction curationAction,
    Extensions.AskAction askAction,
    Extensions.KnowledgeSearchExtension knowledgeSearch,
    Microsoft.Extensions.Options.IOptions<TeamsOptions> options,
    TimeProvider time,
    ILogger<TeamsActivityHandler> logger)
{
    public const string AdaptiveCardActionInvoke = "adaptiveCard/action";

    /// <summary>The text queued for a welcome: the pipeline answers it with what the bot can do.</summary>
    internal const string WelcomeText = "help";

    public async Task<TeamsTurnResult> HandleAsync(Activity activity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(activity);
        if (string.IsNullOrEmpty(activity.Conversation?.Id) || string.IsNullOrEmpty(activity.ServiceUrl))
        {
            return new TeamsTurnResult(400);
        }

        return activity.Type switch
        {
            ActivityTypes.Message => await OnMessageAsync(activity, cancellationToken),
            ActivityTypes.Invoke => await OnInvokeAsync(activity, cancellationToken),
            ActivityTypes.ConversationUpdate => await OnConversationUpdateAsync(activity, cancellationToken),
            ActivityTypes.MessageReaction => await OnReactionAsync(activity, cancellationToken),
            _ => TeamsTurnResult.Ok,
        };
    }

    private async Task<TeamsTurnResult> OnMessageAsync(Activity activity, CancellationToken cancellationToken)
    {
        // Action.Submit (the fallback of our card buttons) arrives as a message whose value holds the data.
        if (activity.Value is { ValueKind: JsonValueKind.Object } value && string.IsNullOrWhiteSpace(activity.Text))
        {
            return await OnSubmitAsync(activity, value, cancellationToken);
        }

        var conversation = TeamsSurfaceData.Conversation(activity.Conversation!.Id!);
        var (text, mentioned) = MentionText.StripBotMention(activity);
        var personal = activity.Conversation.ConversationType is "personal";
        if (!personal && !mentioned && !IsNewPostAnsweredHere(conversation) && !await AnsweredBeforeAsync(conversation, cancellationToken))
        {
            // In channels and group chats the bot speaks when spoken to, or in threads it is already part of, or to
            // every new post where the channels file says so.
            return TeamsTurnResult.Ok;
        }

        var message = new InboundMessage(
            TeamsSurfaceData.DeliveryId(activity),
            conversation,
            activity.From?.Id ?? string.Empty,
            activity.From?.Name ?? string.Empty,
            text,
            time.GetUtcNow(),
            SurfaceData: TeamsSurfaceData.From(activity, TeamsSurfaceData.Reply),
            Tenant: activity.TenantId,
            Scope: personal ? ConversationScope.Direct : ConversationScope.Channel);
        await AcceptAsync(message, cancellationToken);
        return TeamsTurnResult.Ok;
    }

    /// <summary>A new channel post (not a reply in a thread) in a channel whose mode is "answer".</summary>
    private bool IsNewPostAnsweredHere(ConversationRef conversation) =>
        conversation.Thread == conversation.Channel && channels.For(conversation).Mode == ChannelMode.Answer;

    private async Task<bool> AnsweredBeforeAsync(ConversationRef conversation, CancellationToken cancellationToken)
    {
        if (conversation.Thread == conversation.Channel)
        {
            return false; // a new post, not a thread
        }

        var history = await conversations.GetHistoryAsync(conversation, cancellationToken);
        return history.HasBotTurn();
    }

    private async Task<TeamsTurnResult> OnSubmitAsync(Activity activity, JsonElement value, CancellationToken cancellationToken)
    {
        var verb = value.TryGetProperty(CardVerbs.DataKey, out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;
        if (verb == CardVerbs.EscalationSubmit)
        {
            // No card can be answered here: the pipeline checks the form and replies, with the form again if refused.
            await AcceptAsync(FormSubmission(activity, EscalationFormCard.Read(value)), cancellationToken);
        }
        else if (verb == CardVerbs.FeedbackReason && FeedbackCard.Read(value) is { } reason)
        {
            await AcceptAsync(Action(activity, verb, reason.Target) with { Text = reason.Comment }, cancellationToken);
        }
        else if (CardVerbs.IsPipelineAction(verb))
        {
            await AcceptAsync(Action(activity, verb!, Str(value, CardVerbs.ValueKey)), cancellationToken);
        }

        return TeamsTurnResult.Ok;
    }

    private async Task<TeamsTurnResult> OnInvokeAsync(Activity activity, CancellationToken cancellationToken)
    {
        switch (activity.Name)
        {
            case Extensions.CurationAction.FetchTaskInvoke when CommandOf(activity) == SaveThreadCommand:
                return new TeamsTurnResult(200) { Raw = await SaveThreadAsync(activity, cancellationToken) };
            case Extensions.CurationAction.FetchTaskInvoke when CommandOf(activity) == Extensions.AskAction.CommandId:
                return new TeamsTurnResult(200) { Raw = askAction.Fetch(activity) };
            case Extensions.CurationAction.FetchTaskInvoke:
                return new TeamsTurnResult(200) { Raw = await curationAction.FetchAsync(activity, cancellationToken) };
            case Extensions.CurationAction.SubmitActionInvoke when CommandOf(activity) == Extensions.AskAction.CommandId:
                return new TeamsTurnResult(200) { Raw = await askAction.SubmitAsync(activity, cancellationToken) };
            case Extensions.KnowledgeSearchExtension.QueryInvoke:
                return new TeamsTurnResult(200) { Raw = await knowledgeSearch.QueryAsync(activity, cancellationToken) };
            case Extensions.CurationAction.SubmitActionInvoke:
                return new TeamsTurnResult(200) { Raw = await curationAction.SubmitAsync(activity, cancellationToken) };
            case FeedbackInvoke.Name:
                return await OnFeedbackAsync(activity, cancellationToken);
        }

        if (activity.Name != AdaptiveCardActionInvoke)
        {
            // What the SDKs answer for an invoke no handler takes.
            return new TeamsTurnResult(501);
        }

        var verb = Verb(activity.Value);
        if (verb == CardVerbs.EscalationSubmit)
        {
            return await OnFormExecuteAsync(activity, cancellationToken);
        }

        if (verb == CardVerbs.FeedbackReason)
        {
            if (FeedbackCard.Read(ActionData(activity.Value)) is not { } reason)
            {
                return new TeamsTurnResult(200, AdaptiveCardInvokeResponse.Error(400, "BadRequest", "Choose what was wrong with the answer."));
            }

            await AcceptAsync(Action(activity, verb, reason.Target) with { Text = reason.Comment }, cancellationToken);
            return new TeamsTurnResult(200, AdaptiveCardInvokeResponse.Card(FeedbackCard.Thanks(await insights.FindAnswerAsync(reason.AnswerId, cancellationToken))));
        }

        if (verb == ActionIds.EscalationRateComment)
        {
            var comment = FeedbackCard.CommentOf(ActionData(activity.Value));
            if (comment.Length > 0)
            {
                await AcceptAsync(Action(activity, verb, ActionValue(activity.Value)) with { Text = comment }, cancellationToken);
            }

            return new TeamsTurnResult(200, AdaptiveCardInvokeResponse.Message("Thanks for the rating."));
        }

        if (CardVerbs.IsPipelineAction(verb))
        {
            var target = ActionValue(activity.Value);
            await AcceptAsync(Action(activity, verb!, target), cancellationToken);
            if (ActionIds.IsEscalationRating(verb) && EscalationActionSigner.PayloadOf(target) is { } escalationId
                && int.TryParse(verb![ActionIds.EscalationRatePrefix.Length..], System.Globalization.CultureInfo.InvariantCulture, out var score))
            {
                // The rater's view of the card offers a comment; the rating counts from the click.
                return new TeamsTurnResult(200, AdaptiveCardInvokeResponse.Card(FeedbackCard.RatingComment(escalationId, score, await outcomes.CommentValueAsync(escalationId, cancellationToken))));
            }

            if (verb == CardVerbs.NotHelpful && target is { Length: > 0 } && await insights.FindAnswerAsync(target, cancellationToken) is { } answer)
            {
                // The asker's view of the card asks why, the answer kept above the form; the vote is counted already.
                return new TeamsTurnResult(200, AdaptiveCardInvokeResponse.Card(FeedbackCard.Ask(target, answer)));
            }

            return new TeamsTurnResult(200, AdaptiveCardInvokeResponse.Message(CardVerbs.IsFeedback(verb) ? CardVerbs.FeedbackThanks : CardVerbs.Working));
        }

        // Universal Actions carry errors in the body; the HTTP status stays 200.
        return new TeamsTurnResult(200, AdaptiveCardInvokeResponse.Error(400, "BadRequest", $"Unknown action '{verb}'."));
    }

    /// <summary>
    /// Teams' feedback buttons (<see cref="FeedbackInvoke"/>): counted like Helpful / Not helpful, for the answer the message
    /// carries (remembered when it was posted; else the thread's latest answer), with the person's text as the comment.
    /// Answered 200 with an empty body, as Teams requires of this invoke.
    /// </summary>
    private async Task<TeamsTurnResult> OnFeedbackAsync(Activity activity, CancellationToken cancellationToken)
    {
        if (!FeedbackInvoke.IsFeedback(activity.Value))
        {
            return new TeamsTurnResult(501);
        }

        if (FeedbackInvoke.Read(activity.Value) is not { } feedback || string.IsNullOrEmpty(activity.ReplyToId))
        {
            return new TeamsTurnResult(400);
        }

        var channel = TeamsSurfaceData.Conversation(activity.Conversation!.Id!).Channel;
        var answerId = await insights.FindAnswerOfMessageAsync(TeamsSurface.SurfaceName, channel, activity.ReplyToId, cancellationToken);
        var verb = feedback.Helpful ? ActionIds.Helpful : ActionIds.NotHelpful;
        await AcceptAsync(Action(activity, verb, answerId ?? activity.ReplyToId) with { Text = feedback.Comment }, cancellationToken);
        return TeamsTurnResult.Ok;
    }

    /// <summary>
    /// The escalation form sent with <c>Action.Execute</c>: checked while Teams waits, so a refused form is
    /// answered with the same card, its values kept and an error line under each wrong input; an accepted one
    /// is replaced by a short "escalating" card and queued like a button.
    /// </summary>
    private async Task<TeamsTurnResult> OnFormExecuteAsync(Activity activity, CancellationToken cancellationToken)
    {
        var values = EscalationFormCard.Read(ActionData(activity.Value));
        var errors = forms.Validate(values, out var request);
        if (request is null)
        {
            return new TeamsTurnResult(200, AdaptiveCardInvokeResponse.Card(EscalationFormCard.Card(forms.Refused(values, errors))));
        }

        await AcceptAsync(FormSubmission(activity, request.Values), cancellationToken);
        return new TeamsTurnResult(200, AdaptiveCardInvokeResponse.Card(EscalationFormCard.Accepted(request)));
    }

    /// <summary>
    /// A form submission for the pipeline: the summary as the text (masked by the gateway), the other fields
    /// as the target. The same values sent twice from one card by one person count once.
    /// </summary>
    private InboundMessage FormSubmission(Activity activity, EscalationFormValues values)
    {
        var target = values.PackTarget();
        var fingerprint = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"{target}\n{values.Summary}")))[..16];
        return new InboundMessage(
            $"{activity.Conversation!.Id}|{activity.ReplyToId ?? activity.Id}|{activity.From?.Id}|{CardVerbs.EscalationSubmit}|{fingerprint}",
            TeamsSurfaceData.Conversation(activity.Conversation.Id!),
            activity.From?.Id ?? string.Empty,
            activity.From?.Name ?? string.Empty,
            values.Summary ?? string.Empty,
            time.GetUtcNow(),
            InboundKind.Action,
            CardVerbs.EscalationSubmit,
            target,
            TeamsSurfaceData.From(activity, TeamsSurfaceData.Reply),
            activity.TenantId,
            activity.Conversation.ConversationType is "personal" ? ConversationScope.Direct : ConversationScope.Channel);
    }

    /// <summary><c>value.action.data.value</c>: what the button acts on.</summary>
    private static string? ActionValue(JsonElement? value) => Str(ActionData(value), CardVerbs.ValueKey);

    /// <summary><c>value.action.data</c>: the button's data, with the card's inputs merged in.</summary>
    private static JsonElement ActionData(JsonElement? value) =>
        value is { ValueKind: JsonValueKind.Object } root && root.TryGetProperty("action", out var action) && action.ValueKind == JsonValueKind.Object
            && action.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object
            ? data
            : default;

    private static string? Str(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary><c>value.action.verb</c>, or the <c>actionId</c> in <c>value.action.data</c>.</summary>
    private static string? Verb(JsonElement? value)
    {
        if (value is not { ValueKind: JsonValueKind.Object } root || !root.TryGetProperty("action", out var action) || action.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        if (action.TryGetProperty("verb", out var verb) && verb.ValueKind == JsonValueKind.String)
        {
            return verb.GetString();
        }

        return action.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object
            && data.TryGetProperty(CardVerbs.DataKey, out var id) && id.ValueKind == JsonValueKind.String
            ? id.GetString()
            : null;
    }

    private async Task<TeamsTurnResult> OnConversationUpdateAsync(Activity activity, CancellationToken cancellationToken)
    {
        // Teams: a bot with prompt starters (the manifest's commandLists) sends no welcome message.
        var botId = activity.Recipient?.Id;
        if (!options.Value.WelcomeMessage || botId is null || activity.MembersAdded?.Any(m => m.Id == botId) != true)
        {
            return TeamsTurnResult.Ok;
        }

        // Installed: introduce the bot as a new message in the chat or channel (not in some thread of it).
        var conversation = TeamsSurfaceData.Conversation(activity.Conversation!.Id!);
        var data = TeamsSurfaceData.From(activity, TeamsSurfaceData.Send);
        data[TeamsSurfaceData.ConversationId] = conversation.Channel;
        var welcome = new InboundMessage(
            TeamsSurfaceData.DeliveryId(activity),
            conversation with { Thread = conversation.Channel },
            activity.From?.Id ?? string.Empty,
            activity.From?.Name ?? string.Empty,
            WelcomeText,
            time.GetUtcNow(),
            SurfaceData: data);
        await AcceptAsync(welcome, cancellationToken);
        return TeamsTurnResult.Ok;
    }

    /// <summary>A thumbs up or down on one of the bot's answers counts as feedback, like the buttons.</summary>
    private async Task<TeamsTurnResult> OnReactionAsync(Activity activity, CancellationToken cancellationToken)
    {
        var reaction = activity.ReactionsAdded?.FirstOrDefault()?.Type;
        var verb = reaction switch
        {
            "like" or "heart" => ActionIds.Helpful,
            "sad" or "angry" => ActionIds.NotHelpful,
            _ => null,
        };
        if (verb is not null && !string.IsNullOrEmpty(activity.ReplyToId))
        {
            await AcceptAsync(Action(activity, verb), cancellationToken);
        }

        return TeamsTurnResult.Ok;
    }

    /// <summary>The manifest's "Save to knowledge" message action: the message's thread is kept as a past thread.</summary>
    internal const string SaveThreadCommand = "saveThread";

    private static string? CommandOf(Activity activity) =>
        activity.Value is { ValueKind: JsonValueKind.Object } value && value.TryGetProperty("commandId"u8, out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;

    /// <summary>
    /// "Save to knowledge" on a message: its thread (the root is the message, or the message it replies to) is queued for
    /// keeping like any action, exactly once; the pipeline tells the person privately when it is saved.
    /// </summary>
    private async Task<System.Text.Json.Nodes.JsonObject> SaveThreadAsync(Activity activity, CancellationToken cancellationToken)
    {
        var payload = activity.Value!.Value.TryGetProperty("messagePayload"u8, out var p) && p.ValueKind == JsonValueKind.Object ? p : default;
        var root = Str(payload, "replyToId") is { Length: > 0 } parent ? parent : Str(payload, "id");
        var conversation = TeamsSurfaceData.Conversation(activity.Conversation!.Id!);
        var text = payload.ValueKind == JsonValueKind.Object && payload.TryGetProperty("body"u8, out var body) ? MentionText.PlainText(Str(body, "content") ?? string.Empty) : string.Empty;
        var personal = activity.Conversation.ConversationType is "personal";
        var thread = personal || string.IsNullOrEmpty(root) ? conversation : conversation with { Thread = root };
        var data = TeamsSurfaceData.From(activity, TeamsSurfaceData.Send);
        data[TeamsSurfaceData.ConversationId] = TeamsSurfaceData.ConversationIdOf(thread);
        await AcceptAsync(Action(activity, ActionIds.SaveThread) with
        {
            Conversation = thread,
            Text = text,
            SurfaceData = data,
            Tenant = activity.TenantId,
            Scope = personal ? ConversationScope.Direct : ConversationScope.Channel,
        }, cancellationToken);
        return new System.Text.Json.Nodes.JsonObject
        {
            ["task"] = new System.Text.Json.Nodes.JsonObject { ["type"] = "message", ["value"] = "Saving this thread as knowledge (masked); I will confirm in a moment." },
        };
    }

    private InboundMessage Action(Activity activity, string actionId, string? target = null) => new(
        TeamsSurfaceData.DeliveryId(activity),
        TeamsSurfaceData.Conversation(activity.Conversation!.Id!),
        activity.From?.Id ?? string.Empty,
        activity.From?.Name ?? string.Empty,
        string.Empty,
        time.GetUtcNow(),
        InboundKind.Action,
        actionId,
        target ?? activity.ReplyToId,
        TeamsSurfaceData.From(activity, TeamsSurfaceData.Reply));

    private async Task AcceptAsync(InboundMessage message, CancellationToken cancellationToken)
    {
        if (await gateway.AcceptAsync(message, cancellationToken) == AcceptResult.Duplicate)
        {
            LogDuplicate(logger, message.Kind);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Teams redelivered an activity ({Kind}); already taken")]
    private static partial void LogDuplicate(ILogger logger, InboundKind kind);
}
