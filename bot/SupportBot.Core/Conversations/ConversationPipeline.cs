using Microsoft.Extensions.Logging;
using SupportBot.Core.Answering;
using SupportBot.Core.Cases;
using SupportBot.Core.Channels;
using SupportBot.Core.Escalations;
using SupportBot.Core.Insights;
using SupportBot.Core.State;
using SupportBot.Core.Surfaces;

using SupportBot.Core.Telemetry;

namespace SupportBot.Core.Conversations;

/// <summary>
/// The one platform-neutral path of a message: conversation state → intent → (search → draft) →
/// a <see cref="Reply"/> → the surface it came from.
/// </summary>
public sealed partial class ConversationPipeline(
    IConversationStore conversations,
    AnswerService answers,
    ICustomerReplyDrafter customerReplies,
    CaseLookupService caseLookup,
    EscalationService escalations,
    EscalationRelay relay,
    ChatSurfaces surfaces,
    IInsightsStore insights,
    ChannelGate channels,
    ThreadPosters posters,
    IReplyOutbox outbox,
    PastThreads.ThreadSaver threadSaver,
    TimeProvider time,
    ILogger<ConversationPipeline> logger)
{
    internal const string HelpText =
        "I answer product questions from the support knowledge base, with numbered sources. " +
        "Ask me in a thread, e.g. \"How do I respond to a dispute?\" or \"Why is a payout delayed?\" — " +
        "follow-up questions in the same thread use what was said before. " +
        "Rate answers with Helpful / Not helpful so the support-ops team can close knowledge gaps.";

    public async Task HandleAsync(InboundMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Kind == InboundKind.Action)
        {
            await HandleActionAsync(message, cancellationToken);
            return;
        }

        var surface = SurfaceFor(message);
        var intent = message.AskedPrivately ? IntentKind.Question : IntentClassifier.Classify(message.Text);
        if (!message.AskedPrivately && intent is not (IntentKind.Escalate or IntentKind.Reassign or IntentKind.Relay) && await relay.RelayAsync(message, cancellationToken))
        {
            return; // A reply in the owning team's thread: relayed to the agent, not answered.
        }

        var policy = channels.PolicyFor(message);
        switch (await channels.CheckAsync(message, policy, cancellationToken))
        {
            case ChannelDecision.Off:
                LogChannelOff(logger, message.Conversation.Surface);
                return;
            case ChannelDecision.NotAllowed:
                await SendAsync(surface, message, Reply.PrivateNotice(ChannelGate.NotAllowedText), cancellationToken);
                return;
        }

        if (message.AskedPrivately)
        {
            // Nothing shows in the conversation the question came from, and its history is only read.
            var earlier = await conversations.GetHistoryAsync(message.Conversation, cancellationToken);
            await AnswerAsync(surface, message, earlier, policy, cancellationToken);
            return;
        }

        IndicateWorking(surface, message, cancellationToken);
        try
        {
            await AnswerMessageAsync(surface, message, intent, policy, cancellationToken);
        }
        finally
        {
            IndicateProgress(surface, message, WorkProgress.Done, cancellationToken);
        }
    }

    private async Task AnswerMessageAsync(OutboxSurface surface, InboundMessage message, IntentKind intent, ChannelPolicy policy, CancellationToken cancellationToken)
    {
        var (history, takenOver) = await HistoryBeforeAsync(message, cancellationToken);
        if (!takenOver)
        {
            await conversations.AppendAsync(message.Conversation, new ConversationTurn(Speaker.User, message.Text, message.ReceivedAt, message.Id, message.UserId), cancellationToken);
        }

        var reply = intent switch
        {
            IntentKind.Help => await SendAsync(surface, message, new Reply(ReplyKind.Help, HelpText, [], Confident: true, []), cancellationToken),
            IntentKind.DraftReply => await SendAsync(surface, message, await DraftCustomerReplyAsync(message, history, cancellationToken), cancellationToken),
            IntentKind.CaseLookup => await SendAsync(surface, message, await LookUpCaseAsync(message, cancellationToken), cancellationToken),
            IntentKind.Escalate => await SendAsync(surface, message, await EscalateAsync(message, history, cancellationToken), cancellationToken),
            IntentKind.Reassign => await SendAsync(surface, message, await ReassignAsync(message, cancellationToken), cancellationToken),
            IntentKind.Relay => await SendAsync(surface, message, await SetRelayAsync(message, cancellationToken), cancellationToken),
            _ => await AnswerAsync(surface, message, history, policy, cancellationToken),
        };

        // A reply only the asker saw stays out of the thread's history, which later drafts and summaries read.
        var remembered = reply.Audience == ReplyAudience.Requester ? PrivateReplyNote : reply.Text;
        if (!takenOver || !(await conversations.GetHistoryAsync(message.Conversation, cancellationToken)).Any(t => t.MessageId == ReplyTurnId(message)))
        {
            await conversations.AppendAsync(message.Conversation, new ConversationTurn(Speaker.Bot, remembered, time.GetUtcNow(), ReplyTurnId(message)), cancellationToken);
        }
    }

    /// <summary>
    /// The thread's history before <paramref name="message"/>. A message handled again (another replica took it over
    /// after a crash) finds its own turns there already: they are left out of the history it answers from, and
    /// <c>TakenOver</c> says not to append them twice.
    /// </summary>
    private async Task<(IReadOnlyList<ConversationTurn> History, bool TakenOver)> HistoryBeforeAsync(InboundMessage message, CancellationToken cancellationToken)
    {
        var history = await conversations.GetHistoryAsync(message.Conversation, cancellationToken);
        var own = history.ToList().FindIndex(t => t.MessageId == message.Id);
        return own < 0 ? (history, false) : ([.. history.Take(own)], true);
    }

    private static string ReplyTurnId(InboundMessage message) => message.Id + ReplySuffix;

    private const string ReplySuffix = "#reply";

    internal const string PrivateReplyNote = "(answered privately to the asker)";

    /// <summary>The message's surface through the reply outbox: handled again after a crash, nothing is said twice.</summary>
    private OutboxSurface SurfaceFor(InboundMessage message) => new(surfaces.For(message.Conversation), message, outbox, logger);

    /// <summary>
    /// The working sign (a reaction, a typing indicator) is started, not awaited: a slow or rate-limited platform
    /// call must never hold up the answer or a worker slot. Its failure is logged at Debug and forgotten.
    /// </summary>
    private void IndicateWorking(OutboxSurface surface, InboundMessage message, CancellationToken cancellationToken) =>
        _ = IndicateWorkingSafelyAsync(surface, message, cancellationToken);

    private async Task IndicateWorkingSafelyAsync(OutboxSurface surface, InboundMessage message, CancellationToken cancellationToken)
    {
        try
        {
            await surface.IndicateWorkingAsync(message, cancellationToken);
        }
        catch (Exception ex)
        {
            LogIndicatorFailed(logger, message.Conversation.Surface, ex);
        }
    }

    /// <summary>How far the answer has come (drafting, done), as the working sign is shown: started, never awaited.</summary>
    private void IndicateProgress(OutboxSurface surface, InboundMessage message, WorkProgress progress, CancellationToken cancellationToken) =>
        _ = IndicateProgressSafelyAsync(surface, message, progress, cancellationToken);

    private async Task IndicateProgressSafelyAsync(OutboxSurface surface, InboundMessage message, WorkProgress progress, CancellationToken cancellationToken)
    {
        try
        {
            // Done goes out even when the message's handling was cancelled: a sign left up would say "working" for nothing.
            await surface.IndicateProgressAsync(message, progress, progress == WorkProgress.Done ? CancellationToken.None : cancellationToken);
        }
        catch (Exception ex)
        {
            LogIndicatorFailed(logger, message.Conversation.Surface, ex);
        }
    }

    private Task<Reply> EscalateAsync(InboundMessage message, IReadOnlyList<ConversationTurn> history, CancellationToken cancellationToken)
    {
        // The intent was recognised by this same parser; an unparsable text means "escalate" alone.
        var command = EscalateCommand.TryParse(message.Text, out var parsed) ? parsed : new EscalateCommand(null, null, null);
        return escalations.HandleCommandAsync(message, history, command, cancellationToken);
    }

    private Task<Reply> ReassignAsync(InboundMessage message, CancellationToken cancellationToken)
    {
        IntentClassifier.TryReassignTeam(message.Text, out var team);
        return escalations.ReassignAsync(message, team, cancellationToken);
    }

    private Task<Reply> SetRelayAsync(InboundMessage message, CancellationToken cancellationToken)
    {
        IntentClassifier.TryRelaySwitch(message.Text, out var on);
        return relay.SetRelayAsync(message, on, cancellationToken);
    }

    private Task<Reply> LookUpCaseAsync(InboundMessage message, CancellationToken cancellationToken)
    {
        IntentClassifier.TryCaseId(message.Text, out var id);
        return caseLookup.LookUpAsync(id, CaseRequest.From(message), cancellationToken);
    }

    private static async Task<Reply> SendAsync(OutboxSurface surface, InboundMessage message, Reply reply, CancellationToken cancellationToken)
    {
        await surface.SendAsync(message, reply, cancellationToken);
        return reply;
    }

    /// <summary>Answers a question; on surfaces that can, the answer grows in place while a model writes it.</summary>
    private async Task<Reply> AnswerAsync(OutboxSurface surface, InboundMessage message, IReadOnlyList<ConversationTurn> history, ChannelPolicy policy, CancellationToken cancellationToken)
    {
        if (!await channels.TryCountAnswerAsync(message, policy, cancellationToken))
        {
            return await SendAsync(surface, message, Reply.PrivateNotice(ChannelGate.CapReachedText(policy.DailyCap!.Value)), cancellationToken);
        }

        // A private answer is never streamed into the thread.
        var begun = answers.Streams && !policy.Private && !message.AskedPrivately ? await surface.BeginStreamingAsync(message, cancellationToken) : null;
        using var stream = begun is null ? null : new PacedStreamingReply(begun, time, PacedStreamingReply.DefaultInterval, logger);
        var request = new AnswerRequest(message.Text, history, stream is null ? null : stream.UpdateAsync)
        {
            Areas = policy.Areas,
            Sources = policy.Sources,
            OnSearched = message.AskedPrivately ? null : () => IndicateProgress(surface, message, WorkProgress.Drafting, cancellationToken),
        };
        var answer = await answers.AnswerAsync(request, cancellationToken);
        LogAnswered(logger, message.Conversation.Surface, answer.Confident, answer.Citations.Count, answer.Provider);
        SupportBotTelemetry.Answers.Add(
            1,
            SupportBotTelemetry.Tag("surface", message.Conversation.Surface),
            SupportBotTelemetry.Tag("outcome", answer.Fallback ? "fallback" : answer.Confident ? "answered" : "declined"),
            SupportBotTelemetry.Tag("provider", answer.Provider));
        await insights.RecordQuestionAsync(
            new QuestionRecord(
                time.GetUtcNow(), message.Conversation.Surface, message.UserName, message.Text, answer.Text, answer.Confident, answer.Citations.Count,
                message.Id, message.Conversation.Channel, [.. answer.Citations.Select(c => c.Title)], message.Conversation.Thread,
                [.. answer.Citations.Select(c => c.ArticleId)]),
            cancellationToken);
        var reply = ForChannel(Reply.FromAnswer(answer, message.Id), answer, message, policy, surface.CanSharePrivateReplies);
        if (stream is null)
        {
            await surface.SendAsync(message, reply, cancellationToken);
            return reply;
        }

        try
        {
            await stream.CompleteAsync(reply, cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // The growing message could not be finalised (after the surface's retries): the answer
            // still goes out, as a message of its own.
            LogFinalEditFailed(logger, message.Conversation.Surface, ex.GetType().Name);
            await surface.SendAsync(message, reply, cancellationToken);
        }

        return reply;
    }

    /// <summary>
    /// A customer-ready draft for the thread's latest question: answered again from the knowledge base
    /// (so the draft is grounded in current articles), then written to the merchant for the agent to review.
    /// </summary>
    private async Task<Reply> DraftCustomerReplyAsync(InboundMessage message, IReadOnlyList<ConversationTurn> history, CancellationToken cancellationToken)
    {
        var questionIndex = history.ToList().FindLastIndex(t => t.Speaker == Speaker.User && IntentClassifier.Classify(t.Text) == IntentKind.Question);
        if (questionIndex < 0)
        {
            return Reply.Notice("Ask the merchant's question in this thread first; then say \"draft a reply\" and I'll write a customer-ready draft for you to review.");
        }

        var question = history[questionIndex].Text;
        var earlier = history.Take(questionIndex).ToList();
        var answer = await answers.AnswerAsync(new AnswerRequest(question, earlier), cancellationToken);
        var draft = await customerReplies.DraftAsync(new CustomerReplyRequest(history, question, answer, message.UserName), cancellationToken);
        LogDrafted(logger, message.Conversation.Surface, draft.Grounded, draft.Provider);
        var text = draft.Grounded ? $"Draft reply for the merchant — review before sending:\n\n{draft.Text}" : draft.Text;
        return new Reply(ReplyKind.Draft, text, draft.Citations, draft.Grounded, []);
    }

    private async Task HandleActionAsync(InboundMessage message, CancellationToken cancellationToken)
    {
        switch (message.ActionId)
        {
            case ActionIds.Helpful or ActionIds.NotHelpful or ActionIds.FeedbackReason:
                await RecordFeedbackAsync(message, cancellationToken);
                break;
            case ActionIds.Share:
                await ShareAsync(message, cancellationToken);
                break;
            case ActionIds.SaveThread:
                var target = SurfaceFor(message);
                await target.SendAsync(message, await threadSaver.SaveAsync(message, target, cancellationToken), cancellationToken);
                break;
            case ActionIds.DraftReply:
                var surface = SurfaceFor(message);
                IndicateWorking(surface, message, cancellationToken);
                var history = await conversations.GetHistoryAsync(message.Conversation, cancellationToken);
                var reply = await DraftCustomerReplyAsync(message, history, cancellationToken);
                await surface.SendAsync(message, reply, cancellationToken);
                await conversations.AppendAsync(message.Conversation, new ConversationTurn(Speaker.Bot, reply.Text, time.GetUtcNow()), cancellationToken);
                break;
            case ActionIds.Escalate or ActionIds.EscalationConfirm or ActionIds.EscalationSubmit or ActionIds.EscalationAcknowledge or ActionIds.EscalationResolve or ActionIds.EscalationReassign or ActionIds.EscalationTake or ActionIds.EscalationSaveArticle:
            case { } rating when ActionIds.IsEscalationRating(rating):
                var thread = await conversations.GetHistoryAsync(message.Conversation, cancellationToken);
                if (await escalations.HandleActionAsync(message, thread, cancellationToken) is { } answer)
                {
                    await SurfaceFor(message).SendAsync(message, answer, cancellationToken);
                }

                break;
            default:
                LogUnknownAction(logger, message.Conversation.Surface, message.ActionId);
                break;
        }
    }

    /// <summary>
    /// The channel's touches on an answer: private to the asker with a Share button (a private channel, or a question asked
    /// privately), its group tagged when unanswered.
    /// </summary>
    private static Reply ForChannel(Reply reply, Answer answer, InboundMessage message, ChannelPolicy policy, bool shareable)
    {
        if ((policy.Private || message.AskedPrivately) && message.Scope != ConversationScope.Direct)
        {
            reply = reply with { Audience = ReplyAudience.Requester, Actions = shareable ? [.. reply.Actions, ReplyAction.Share(message.Id)] : reply.Actions };
        }

        return !answer.Confident && policy.UnansweredTag is { } tag ? reply with { Notify = [tag] } : reply;
    }

    /// <summary>
    /// "Share with the thread" under a private answer: the question is answered again from the knowledge base (so the
    /// thread gets the grounded answer, not a copy of a private message) and posted for everyone, naming who shared it.
    /// </summary>
    private async Task ShareAsync(InboundMessage message, CancellationToken cancellationToken)
    {
        if (message.ActionTarget is not { Length: > 0 } answerId || await insights.FindAnswerAsync(answerId, cancellationToken) is not { } record)
        {
            await SurfaceFor(message).SendAsync(message, Reply.PrivateNotice("That answer is no longer on record; ask again in the thread."), cancellationToken);
            return;
        }

        // The thread the private answer was given in: the button's own message may not say (Slack), or may be the asker's
        // personal chat (Teams).
        var thread = record.Channel is { Length: > 0 } channel && record.Thread is { Length: > 0 } root
            ? new ConversationRef(message.Conversation.Surface, channel, root)
            : message.Conversation;
        var history = await conversations.GetHistoryAsync(thread, cancellationToken);
        var inThread = message with { Conversation = thread };
        var scope = channels.PolicyFor(inThread);
        var answer = await answers.AnswerAsync(new AnswerRequest(record.Question, history) { Areas = scope.Areas, Sources = scope.Sources }, cancellationToken);
        var shared = Reply.FromAnswer(answer, answerId) with { Text = $"Shared by {message.UserName}: {answer.Text}" };
        if (thread != message.Conversation && posters.For(thread.Surface) is { } poster && poster.ThreadAddressOf(thread, message) is { } address)
        {
            await poster.PostAsync(address, shared, cancellationToken);
        }
        else
        {
            await SurfaceFor(inThread).SendAsync(inThread, shared, cancellationToken);
        }

        await conversations.AppendAsync(thread, new ConversationTurn(Speaker.Bot, shared.Text, time.GetUtcNow()), cancellationToken);
    }

    /// <summary>
    /// A vote, or the reason for a "Not helpful", stored with the answer it is about. Buttons name their answer; a
    /// reaction (Teams) names none and rates the thread's latest answer.
    /// </summary>
    private async Task RecordFeedbackAsync(InboundMessage message, CancellationToken cancellationToken)
    {
        FeedbackReason? reason = null;
        string answerId;
        QuestionRecord? answer;
        if (message.ActionId == ActionIds.FeedbackReason)
        {
            if (!FeedbackReasons.TryUnpack(message.ActionTarget, out var given, out answerId))
            {
                LogUnknownAction(logger, message.Conversation.Surface, message.ActionId);
                return;
            }

            reason = given;
            answer = await insights.FindAnswerAsync(answerId, cancellationToken);
        }
        else if (message.ActionTarget is { Length: > 0 } named && await insights.FindAnswerAsync(named, cancellationToken) is { } found)
        {
            (answerId, answer) = (named, found);
        }
        else
        {
            // An answer no longer on record still gets its vote counted, under what the button named (or the click).
            answer = await LatestAnswerAsync(message.Conversation, cancellationToken);
            answerId = answer?.AnswerId ?? (message.ActionTarget is { Length: > 0 } target ? target : message.Id);
        }

        var helpful = message.ActionId == ActionIds.Helpful;
        var comment = message.Text is { Length: > 0 } text ? text[..Math.Min(text.Length, FeedbackReasons.MaxComment)] : null;
        var vote = new FeedbackVote(answerId, time.GetUtcNow(), message.Conversation.Surface, message.Conversation.Channel, message.UserId, helpful, reason, comment)
        {
            Answer = answer,
        };
        if (await insights.RecordFeedbackAsync(vote, cancellationToken) && reason is null)
        {
            SupportBotTelemetry.Feedback.Add(1, SupportBotTelemetry.Tag("value", helpful ? "helpful" : "not_helpful"));
        }
    }

    /// <summary>The thread's latest answer on record: its bot turn names the question it answered.</summary>
    private async Task<QuestionRecord?> LatestAnswerAsync(ConversationRef conversation, CancellationToken cancellationToken)
    {
        var history = await conversations.GetHistoryAsync(conversation, cancellationToken);
        foreach (var turn in history.Reverse().Where(t => t.Speaker == Speaker.Bot && t.MessageId?.EndsWith(ReplySuffix, StringComparison.Ordinal) == true))
        {
            if (await insights.FindAnswerAsync(turn.MessageId![..^ReplySuffix.Length], cancellationToken) is { } answer)
            {
                return answer;
            }
        }

        return null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Answered a question on {Surface}: confident {Confident}, {Citations} citations, provider {Provider}")]
    private static partial void LogAnswered(ILogger logger, string surface, bool confident, int citations, string provider);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not finalise a streamed answer on {Surface} ({Error}); sent it as a new message")]
    private static partial void LogFinalEditFailed(ILogger logger, string surface, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Drafted a customer reply on {Surface}: grounded {Grounded}, provider {Provider}")]
    private static partial void LogDrafted(ILogger logger, string surface, bool grounded, string provider);

    [LoggerMessage(Level = LogLevel.Debug, Message = "The working sign on {Surface} failed; the answer goes out regardless")]
    private static partial void LogIndicatorFailed(ILogger logger, string surface, Exception exception);

    [LoggerMessage(Level = LogLevel.Debug, Message = "A message on {Surface} was left alone: the bot is off in its channel")]
    private static partial void LogChannelOff(ILogger logger, string surface);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Unknown action {ActionId} from {Surface} ignored")]
    private static partial void LogUnknownAction(ILogger logger, string surface, string? actionId);
}
