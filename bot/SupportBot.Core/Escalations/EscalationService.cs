using Microsoft.Extensions.Logging;
using static SupportBot.Core.Escalations.EscalationText;
using SupportBot.Core.Cases;
using SupportBot.Core.Conversations;
using SupportBot.Core.Surfaces;
using SupportBot.Core.Telemetry;

namespace SupportBot.Core.Escalations;

/// <summary>
/// The escalation state machine: turns an agent's thread into a tracked escalation in the owning team's channel (on
/// Slack or Teams, whichever the route names), then moves it open → acknowledged → resolved (or to another team) as
/// its buttons and commands say, telling both threads. Replies are relayed by <see cref="EscalationRelay"/>, the SLA
/// clock is <see cref="EscalationSla"/>, posting is <see cref="EscalationThreads"/>, the texts are
/// <see cref="EscalationText"/>'s. Every text it posts is masked.
/// </summary>
public sealed partial class EscalationService(
    EscalationRoutes routes,
    IEscalationStore store,
    IConversationStore conversations,
    EscalationSla sla,
    EscalationThreads threads,
    ThreadPosters posters,
    CaseLookupService cases,
    IEscalationSummarizer summarizer,
    EscalationForms forms,
    EscalationActionSigner signer,
    EscalationOutcome outcome,
    IEnumerable<IResponderDirectory> directories,
    IEnumerable<IPresenceDirectory> presence,
    IEnumerable<Answering.IKnowledgeSearch> knowledge,
    Microsoft.Extensions.Options.IOptions<Answering.AnsweringOptions> answering,
    TimeProvider time,
    ILogger<EscalationService> logger)
{
    /// <summary>"escalate …" in a thread: start it when the team is named, else suggest one and ask to confirm.</summary>
    public async Task<Reply> HandleCommandAsync(InboundMessage message, IReadOnlyList<ConversationTurn> history, EscalateCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(command);
        if (!routes.SetUp)
        {
            return Reply.Notice(EscalationRoutes.NotSetUpText);
        }

        if (await store.FindByThreadAsync(message.Conversation, cancellationToken) is { } existing && existing.Status != EscalationStatus.Resolved)
        {
            return Reply.Notice(AlreadyEscalated(existing));
        }

        var severity = command.Severity ?? Severity.Sev3;
        if (command.Team is { } named)
        {
            return routes.Find(named) is { } route
                ? await StartAsync(message, history, route, severity, command.Reason, caseId: null, cancellationToken)
                : Reply.Notice(NoSuchTeam(named, routes));
        }

        // Surfaces that show forms in messages (Teams) offer the form, prefilled with the same suggestion.
        var form = forms.Prefill(command, history);
        var suggested = routes.Find(form.Values.Team!)!;
        // Bound to this thread: pressed anywhere else, or altered, it is refused.
        var value = await signer.SignAsync(Pack(suggested.Team, severity, command.Reason), message.Conversation.Key, cancellationToken);
        return new Reply(
            ReplyKind.Notice,
            $"This looks like one for {suggested.Name} ({suggested.Team}), {Label(severity)}. Confirm, or say \"escalate to TEAM\" to pick another: {TeamList(routes)}.",
            [],
            Confident: true,
            [new ReplyAction(ActionIds.EscalationConfirm, $"Escalate to {suggested.Name}", value)]) { Form = form };
    }

    /// <summary>
    /// The escalation form was submitted: checked again (the surface checked it too, but routes can change and
    /// a card's data can be forged), then started with the submitter as the requester. A submission from
    /// outside any thread (a slash command's modal) first opens the requester's own thread in the channel it
    /// came from, where the confirmation and later status changes go. Null when the reply was posted already.
    /// </summary>
    public async Task<Reply?> SubmitFormAsync(InboundMessage submission, IReadOnlyList<ConversationTurn> history, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(submission);
        ArgumentNullException.ThrowIfNull(history);
        if (!routes.SetUp)
        {
            return Reply.Notice(EscalationRoutes.NotSetUpText);
        }

        var values = EscalationFormValues.Unpack(submission.ActionTarget, submission.Text);
        var errors = forms.Validate(values, out var request);
        if (request is null)
        {
            var refused = forms.Refused(values, errors);
            return Reply.Notice($"Not escalated yet: {refused.ErrorText}") with { Form = refused };
        }

        var summary = HeuristicEscalationSummarizer.FromForm(history, request.Summary, request.CaseId);
        if (submission.Conversation.Thread.Length > 0)
        {
            if (await store.FindByThreadAsync(submission.Conversation, cancellationToken) is { } existing && existing.Status != EscalationStatus.Resolved)
            {
                return Reply.Notice(AlreadyEscalated(existing));
            }

            return await TryStartAsync(submission, request, summary, cancellationToken);
        }

        if (threads.PosterFor(submission.Conversation.Surface) is not { } originPoster)
        {
            return null;
        }

        var opened = await originPoster.StartOriginThreadAsync(
            submission,
            Masked($"{submission.UserName} is escalating to {request.Route.Name} ({Label(request.Severity)}):\n{request.Summary}", []),
            cancellationToken);
        var origin = submission with { Conversation = opened.Conversation, SurfaceData = opened.SurfaceData };
        var confirmation = await TryStartAsync(origin, request, summary, cancellationToken);
        await originPoster.PostAsync(opened, Masked(confirmation.Text, confirmation.Actions), cancellationToken);
        return null;
    }

    /// <summary>
    /// Starts a submitted form. The form is gone once sent (the modal closed, the card replaced), so a failure
    /// to open the team's thread is said in the requester's thread rather than only logged.
    /// </summary>
    private async Task<Reply> TryStartAsync(InboundMessage origin, EscalationRequest request, EscalationSummary summary, CancellationToken cancellationToken)
    {
        try
        {
            return await StartAsync(origin, request.Route, request.Severity, summary, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogStartFailed(logger, ex, request.Route.Team);
            return Reply.Notice($"I couldn't open a thread for {request.Route.Name}, so nothing was escalated. Try again in a minute, or reach {request.Route.Name} directly.");
        }
    }

    /// <summary>Opens the team's thread, links both ways, schedules the SLA reminders.</summary>
    public async Task<Reply> StartAsync(InboundMessage origin, IReadOnlyList<ConversationTurn> history, EscalationRoute route, Severity severity, string? reason, string? caseId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(origin);
        ArgumentNullException.ThrowIfNull(route);
        var summary = await summarizer.SummarizeAsync(history, reason, caseId, cancellationToken);
        return await StartAsync(origin, route, severity, summary, cancellationToken);
    }

    private async Task<Reply> StartAsync(InboundMessage origin, EscalationRoute route, Severity severity, EscalationSummary summary, CancellationToken cancellationToken)
    {
        if (!routes.SetUp)
        {
            return Reply.Notice(EscalationRoutes.NotSetUpText);
        }

        if (posters.For(route.Destination.Surface) is not { } target)
        {
            return Reply.Notice($"{route.Name} works on {route.Destination.Surface}, which is not configured on this deployment; escalate to them directly.");
        }

        var originThread = new ThreadAddress(origin.Conversation, origin.SurfaceData ?? new Dictionary<string, string>());
        if (posters.For(origin.Conversation.Surface) is { } originPoster)
        {
            originThread = originThread with { Link = await originPoster.LinkAsync(originThread, cancellationToken) };
        }

        // The owning team's thread is where the case facts are meant to go (masked): the team works the case.
        var caseFacts = summary.CaseId is { } id ? (await cases.LookUpAsync(id, CaseRequest.From(origin) with { Scope = ConversationScope.Direct }, cancellationToken)).Text : null;
        var escalation = Escalation.Open(await store.NextIdAsync(cancellationToken), route.Team, severity, summary.CaseId, summary.Render(), origin.UserName, originThread, time.GetUtcNow())
            with { RequesterId = origin.UserId };

        var text = $"{escalation.Id} · {Label(severity)} · escalated to {route.Name} by {origin.UserName}\n{summary.Render()}" +
            (originThread.Link is { } link ? $"\nOrigin thread: {link}" : string.Empty) +
            (caseFacts is null ? string.Empty : $"\n\n{caseFacts}") +
            SlaLine(route);
        var thread = await OpenTeamThreadAsync(escalation, route, target, text, cancellationToken);

        LogStarted(logger, escalation.Id, route.Team, route.Destination.Surface);
        SupportBotTelemetry.Escalations.Add(1, SupportBotTelemetry.Tag("event", "opened"), SupportBotTelemetry.Tag("team", route.Team));
        return Reply.Notice($"Escalated to {route.Name} as {escalation.Id} ({Label(severity)})." +
            (thread.Link is { } teamLink ? $" Their thread: {teamLink}" : string.Empty) +
            " I'll post status changes here, and replies in either thread reach the other.");
    }

    /// <summary>
    /// Posts the escalation's first message (with the status buttons) as a new thread in the team's channel,
    /// saves the escalation with that thread and schedules the route's SLA timers.
    /// </summary>
    private async Task<ThreadAddress> OpenTeamThreadAsync(Escalation escalation, EscalationRoute route, IThreadPoster target, string text, CancellationToken cancellationToken)
    {
        var first = Masked(text, await StatusActionsAsync(escalation, route, cancellationToken));
        if (await NextAssigneeAsync(route, cancellationToken) is { } assignee)
        {
            escalation = escalation with { Assignee = assignee };
            first = first with { Text = first.Text + "\nAssigned by rotation; press Take it to take it over.", Notify = [assignee] };
        }

        var thread = await target.StartThreadAsync(route.Destination, first, cancellationToken);
        escalation = escalation with { Target = thread };
        await store.SaveAsync(escalation, cancellationToken);

        // The bot spoke first in the team's thread: replies there are follow-ups the surfaces pass on.
        await conversations.AppendAsync(thread.Conversation, new ConversationTurn(Speaker.Bot, first.Text, time.GetUtcNow()), cancellationToken);
        await sla.ScheduleAsync(escalation, route, cancellationToken);
        await AnnounceForTriageAsync(escalation, route, target, thread, cancellationToken);
        await PostSimilarPastThreadsAsync(escalation, target, thread, cancellationToken);

        return thread;
    }

    /// <summary>
    /// Resolved escalations and saved threads like this one (the knowledge index's past threads whose coverage of the
    /// problem reaches the answering threshold), offered in the team's thread so the team starts from what worked. Best effort.
    /// </summary>
    private async Task PostSimilarPastThreadsAsync(Escalation escalation, IThreadPoster target, ThreadAddress thread, CancellationToken cancellationToken)
    {
        if (knowledge.FirstOrDefault() is not { } search)
        {
            return;
        }

        try
        {
            var problem = EscalationSummary.ProblemOf(escalation.Summary);
            if (problem is null)
            {
                return;
            }

            var hits = await search.SearchAsync(new Answering.SearchRequest(Redaction.SensitiveDataRedactor.Redact(problem), [], Top: 8) { Sources = [PastThreads.PastThread.SourceName] }, cancellationToken);
            var similar = hits
                .Where(h => h.Coverage >= answering.Value.MinCoverage && !h.ArticleId.EndsWith(escalation.Id, StringComparison.OrdinalIgnoreCase))
                .DistinctBy(h => h.ArticleId)
                .Take(3)
                .ToList();
            if (similar.Count == 0)
            {
                return;
            }

            var lines = similar.Select(h => $"• {h.Title}" + (h.Url.Length > 0 ? $" ({h.Url})" : string.Empty));
            await target.PostAsync(thread, Masked("Similar past escalations and threads:\n" + string.Join("\n", lines), []), cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogSimilarFailed(logger, escalation.Id, ex.GetType().Name);
        }
    }

    /// <summary>
    /// A route's triage channel (on the team's platform) hears of each new escalation: its id, severity, the assignee and
    /// a link to the team's thread, so whoever triages sees the queue in one place. Best effort.
    /// </summary>
    private async Task AnnounceForTriageAsync(Escalation escalation, EscalationRoute route, IThreadPoster target, ThreadAddress thread, CancellationToken cancellationToken)
    {
        if (route.Triage is not { } triage)
        {
            return;
        }

        var text = $"New {escalation.Id} ({Label(escalation.Severity)}) for {route.Name}" +
            (escalation.Assignee is null ? ", not assigned yet" : ", assigned by rotation") +
            (thread.Link is { } link ? $": {link}" : ".");
        try
        {
            var notice = Masked(text, []) with { Notify = escalation.Assignee is { } assignee ? [assignee] : [] };
            await target.StartThreadAsync(route.Destination with { Channel = triage }, notice, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogTriageFailed(logger, escalation.Id, ex.GetType().Name);
        }
    }

    /// <summary>A button on an escalation: confirm, acknowledge, resolve, reassign.</summary>
    public async Task<Reply?> HandleActionAsync(InboundMessage action, IReadOnlyList<ConversationTurn> history, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(action);
        if (action.ActionId == ActionIds.EscalationConfirm)
        {
            if (await signer.VerifyAsync(action.ActionTarget, action.Conversation.Key, cancellationToken) is not { } confirmed)
            {
                LogRefusedAction(logger, action.Conversation.Surface, action.ActionId);
                return Private("That button does not belong to this thread. Say \"escalate\" here to start again.");
            }

            var (team, severity, reason) = Unpack(confirmed);
            return routes.Find(team) is { } route
                ? await StartAsync(action, history, route, severity, reason, caseId: null, cancellationToken)
                : Reply.Notice(NoSuchTeam(team, routes));
        }

        if (action.ActionId == ActionIds.EscalationSubmit)
        {
            return await SubmitFormAsync(action, history, cancellationToken);
        }

        if (action.ActionId == ActionIds.Escalate)
        {
            return await HandleCommandAsync(action, history, new EscalateCommand(null, null, null), cancellationToken);
        }

        if (ActionIds.IsEscalationRating(action.ActionId))
        {
            return await outcome.RateAsync(action, cancellationToken);
        }

        if (action.ActionId == ActionIds.EscalationSaveArticle)
        {
            return await outcome.SaveArticleAsync(action, cancellationToken);
        }

        var escalation = EscalationActionSigner.PayloadOf(action.ActionTarget) is { } id ? await store.GetAsync(id, cancellationToken) : null;
        if (escalation is null)
        {
            return Private("That escalation no longer exists.");
        }

        // A status button works only in the escalation's current team thread, for the team it was posted to.
        if (escalation.Target is not { } current || current.Conversation != action.Conversation
            || await signer.VerifyAsync(action.ActionTarget, StatusBinding(escalation.Id, escalation.Team), cancellationToken) is null)
        {
            LogRefusedAction(logger, action.Conversation.Surface, action.ActionId);
            return Private(escalation.Target is { Link: { } link }
                ? $"These buttons are no longer {escalation.Id}'s: it is with {escalation.Team} now. Use the buttons in its current thread: {link}"
                : $"These buttons are no longer {escalation.Id}'s: it is with {escalation.Team} now. Use the buttons in its current thread.");
        }

        if (action.ActionId == ActionIds.EscalationReassign)
        {
            return Reply.Notice($"To reassign {escalation.Id}, say \"reassign to TEAM\" in this thread. Teams: {TeamList(routes)}.");
        }

        if (routes.Find(escalation.Team) is { Responders.Count: > 0 } owner && !await IsResponderAsync(action, owner, cancellationToken))
        {
            LogNotResponder(logger, escalation.Id, action.Conversation.Surface);
            return Private($"Only {owner.Name}'s responders can acknowledge or resolve {escalation.Id}.");
        }

        if (action.ActionId == ActionIds.EscalationTake)
        {
            if (escalation.Status == EscalationStatus.Resolved)
            {
                return Reply.Notice($"{escalation.Id} is already resolved.");
            }

            await store.SaveAsync(escalation with { Assignee = action.UserId }, cancellationToken);
            await threads.PostBothAsync(escalation, $"{escalation.Id} taken by {action.UserName}.", cancellationToken);
            return null;
        }

        var now = time.GetUtcNow();
        var moved = action.ActionId switch
        {
            ActionIds.EscalationAcknowledge => escalation.Acknowledge(action.UserName, now),
            ActionIds.EscalationResolve => escalation.Resolve(action.UserName, now),
            _ => null,
        };
        if (moved is null)
        {
            return Reply.Notice($"{escalation.Id} is already {Describe(escalation.Status)}.");
        }

        await store.SaveAsync(moved, cancellationToken);
        SupportBotTelemetry.Escalations.Add(1, SupportBotTelemetry.Tag("event", Describe(moved.Status)), SupportBotTelemetry.Tag("team", moved.Team));
        await threads.PostBothAsync(moved, $"{moved.Id} {Describe(moved.Status)} by {action.UserName} at {now:HH:mm} UTC.", cancellationToken);
        if (moved.Status == EscalationStatus.Resolved)
        {
            await outcome.ResolvedAsync(moved, cancellationToken);
        }

        return null;
    }

    /// <summary>
    /// The next person of the route's rotation (round-robin, shared by every replica), skipping those outside their working
    /// hours and those the platform says are away; when no one is left (or the platform cannot say), the first at work,
    /// else the one whose turn it is. Null without a rotation.
    /// </summary>
    private async Task<string?> NextAssigneeAsync(EscalationRoute route, CancellationToken cancellationToken)
    {
        if (route.Rotation.Count == 0)
        {
            return null;
        }

        var turn = (int)(await store.NextRotationAsync(route.Team, cancellationToken) % route.Rotation.Count);
        var now = time.GetUtcNow();
        var atWork = Enumerable.Range(0, route.Rotation.Count)
            .Select(i => route.Rotation[(turn + i) % route.Rotation.Count])
            .Where(person => route.IsAtWork(person, now))
            .ToList();
        var directory = presence.FirstOrDefault(p => p.Surface == route.Destination.Surface);
        foreach (var candidate in directory is null ? [] : atWork)
        {
            try
            {
                if (!await directory!.IsAwayAsync(candidate, cancellationToken))
                {
                    return candidate;
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogPresenceFailed(logger, route.Destination.Surface, ex.GetType().Name);
                break;
            }
        }

        return atWork.FirstOrDefault() ?? route.Rotation[turn];
    }

    /// <summary>Asks the platform; when it cannot answer (down, no directory for the surface), the answer is no.</summary>
    private async Task<bool> IsResponderAsync(InboundMessage action, EscalationRoute route, CancellationToken cancellationToken)
    {
        if (directories.FirstOrDefault(d => d.Surface == action.Conversation.Surface) is not { } directory)
        {
            return false;
        }

        try
        {
            return await directory.IsMemberAsync(action, route.Responders, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogDirectoryFailed(logger, action.Conversation.Surface, ex.GetType().Name);
            return false;
        }
    }

    /// <summary>"reassign to TEAM" in an escalation thread.</summary>
    public async Task<Reply> ReassignAsync(InboundMessage message, string team, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var escalation = await store.FindByThreadAsync(message.Conversation, cancellationToken);
        if (escalation is null)
        {
            return Reply.Notice("This thread is not an escalation.");
        }

        if (routes.Find(team) is not { } route)
        {
            return Reply.Notice(NoSuchTeam(team, routes));
        }

        if (posters.For(route.Destination.Surface) is not { } target)
        {
            return Reply.Notice($"{route.Name} works on {route.Destination.Surface}, which is not configured on this deployment.");
        }

        var moved = escalation.Reassign(route.Team, message.UserName, time.GetUtcNow());
        if (moved is null)
        {
            return Reply.Notice($"{escalation.Id} cannot be reassigned to {route.Team} ({Describe(escalation.Status)}, team {escalation.Team}).");
        }

        SupportBotTelemetry.Escalations.Add(1, SupportBotTelemetry.Tag("event", "reassigned"), SupportBotTelemetry.Tag("team", route.Team));
        await threads.PostBothAsync(escalation, $"{escalation.Id} reassigned to {route.Name} by {message.UserName}.", cancellationToken);
        if (escalation.Target is { } old)
        {
            // The old team thread is no longer the escalation's: its index goes, and its buttons are refused.
            await store.ForgetThreadAsync(old.Conversation, cancellationToken);
        }

        var text = $"{moved.Id} · {Label(moved.Severity)} · reassigned to {route.Name} by {message.UserName}\n{moved.Summary}" +
            (moved.Origin.Link is { } link ? $"\nOrigin thread: {link}" : string.Empty) + SlaLine(route);
        var thread = await OpenTeamThreadAsync(moved, route, target, text, cancellationToken);
        return Reply.Notice($"Reassigned to {route.Name}." + (thread.Link is { } teamLink ? $" New thread: {teamLink}" : string.Empty));
    }

    /// <summary>The status buttons, their value signed for the escalation and its team.</summary>
    private async Task<ReplyAction[]> StatusActionsAsync(Escalation escalation, EscalationRoute route, CancellationToken cancellationToken)
    {
        var value = await signer.SignAsync(escalation.Id, StatusBinding(escalation.Id, escalation.Team), cancellationToken);
        return
        [
            new(ActionIds.EscalationTake, "Take it", value),
            new(ActionIds.EscalationAcknowledge, "Acknowledge", value),
            new(ActionIds.EscalationResolve, "Resolve", value),
            new(ActionIds.EscalationReassign, "Reassign", value),
        ];
    }

    // Signed before the team thread exists (the buttons open it), so the value names the escalation and its team;
    // the thread is checked against the escalation's current one when a button is pressed.
    private static string StatusBinding(string id, string team) => $"{id}|{team}";

    [LoggerMessage(Level = LogLevel.Information, Message = "Escalation {Id} opened for {Team} on {Surface}")]
    private static partial void LogStarted(ILogger logger, string id, string team, string surface);

    [LoggerMessage(Level = LogLevel.Error, Message = "An escalation form for {Team} could not be started")]
    private static partial void LogStartFailed(ILogger logger, Exception exception, string team);


    [LoggerMessage(Level = LogLevel.Warning, Message = "Escalation button {ActionId} on {Surface} refused: its signed value does not match the escalation's current thread")]
    private static partial void LogRefusedAction(ILogger logger, string surface, string? actionId);

    [LoggerMessage(Level = LogLevel.Information, Message = "A status change of {Id} on {Surface} was refused: the presser is not among the route's responders")]
    private static partial void LogNotResponder(ILogger logger, string id, string surface);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The triage channel could not be told of {Id} ({Error})")]
    private static partial void LogTriageFailed(ILogger logger, string id, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Similar past threads for {Id} could not be looked up ({Error})")]
    private static partial void LogSimilarFailed(ILogger logger, string id, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Presence could not be checked on {Surface} ({Error}); the rotation assigned whoever's turn it was")]
    private static partial void LogPresenceFailed(ILogger logger, string surface, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Responder groups could not be checked on {Surface} ({Error}); the status change was refused")]
    private static partial void LogDirectoryFailed(ILogger logger, string surface, string error);


}
