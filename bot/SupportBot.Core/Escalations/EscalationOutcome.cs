using System.Globalization;
using Microsoft.Extensions.Logging;
using SupportBot.Core.Conversations;
using SupportBot.Core.Redaction;
using SupportBot.Core.Surfaces;
using SupportBot.Core.Telemetry;

namespace SupportBot.Core.Escalations;

/// <summary>
/// Closing the loop once an escalation is resolved: the outcome (<see cref="IOutcomeSummarizer"/>, from the owning team's thread) is posted
/// into the requester's thread with 1–5 rating buttons; the requester's rating is kept on the escalation (once), and a
/// comment can follow it (Slack: a modal; Teams: the card).
/// </summary>
public sealed partial class EscalationOutcome(
    IEscalationStore store,
    IConversationStore conversations,
    EscalationThreads threads,
    EscalationActionSigner signer,
    IOutcomeSummarizer summarizer,
    Articles.IArticleDrafts drafts,
    PastThreads.IPastThreads pastThreads,
    Microsoft.Extensions.Options.IOptions<PastThreads.PastThreadsOptions> pastThreadOptions,
    TimeProvider time,
    ILogger<EscalationOutcome> logger)
{
    /// <summary>Posts the outcome and the rating buttons into the requester's thread.</summary>
    public async Task ResolvedAsync(Escalation resolved, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(resolved);
        var teamThread = resolved.Target is { } team ? await conversations.GetHistoryAsync(team.Conversation, cancellationToken) : [];
        var outcome = resolved.Target is null ? "no notes from the team." : await summarizer.SummarizeAsync(teamThread, resolved.Summary, cancellationToken);
        if (pastThreadOptions.Value.Enabled)
        {
            await pastThreads.SaveAsync(PastThreadOf(resolved, outcome, teamThread), cancellationToken);
        }

        var actions = new List<ReplyAction>();
        for (var score = 1; score <= 5; score++)
        {
            var value = await signer.SignAsync(resolved.Id, RatingBinding(resolved.Id, score), cancellationToken);
            actions.Add(new ReplyAction(ActionIds.EscalationRatePrefix + score.ToString(CultureInfo.InvariantCulture), Stars(score), value));
        }

        var text = $"{resolved.Id} is resolved. Outcome: {outcome}\n{resolved.Requester}, how well was it handled? 1 (poorly) to 5 (very well).";
        if (threads.PosterFor(resolved.Origin.Conversation.Surface) is { } poster)
        {
            await poster.PostAsync(resolved.Origin, EscalationText.Masked(text, actions), cancellationToken);
        }

        // The team turns what it learned into knowledge: one button drafts an article for review.
        if (resolved.Target is { } target && threads.PosterFor(target.Conversation.Surface) is { } teamPoster)
        {
            var save = await signer.SignAsync(resolved.Id, ArticleBinding(resolved.Id), cancellationToken);
            await teamPoster.PostAsync(
                target,
                EscalationText.Masked($"Worth keeping? Save {resolved.Id} as a draft knowledge article for support-ops to review.", [new ReplyAction(ActionIds.EscalationSaveArticle, "Save as article", save)]),
                cancellationToken);
        }
    }

    /// <summary>
    /// "Save as article": a draft (masked) from the escalation's summary and the team's words in its thread, added to the
    /// review queue once per escalation.
    /// </summary>
    public async Task<Reply> SaveArticleAsync(InboundMessage action, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(action);
        var escalation = EscalationActionSigner.PayloadOf(action.ActionTarget) is { } id ? await store.GetAsync(id, cancellationToken) : null;
        if (escalation is null || escalation.Target?.Conversation != action.Conversation
            || await signer.VerifyAsync(action.ActionTarget, ArticleBinding(escalation.Id), cancellationToken) is null)
        {
            LogRefused(logger, action.Conversation.Surface);
            return Reply.PrivateNotice("That button does not belong to this thread.");
        }

        var history = await conversations.GetHistoryAsync(escalation.Target.Conversation, cancellationToken);
        var resolution = string.Join("\n\n", history.PeopleSaid());
        var summary = SensitiveDataRedactor.Redact(escalation.Summary);
        var title = EscalationSummary.ProblemOf(summary) ?? escalation.Id;
        var body = $"## Problem\n\n{summary}\n\n## Resolution\n\n{(resolution.Length > 0 ? resolution : "(the team's thread has no notes; add the resolution here)")}";
        var draft = new Articles.ArticleDraft(
            escalation.Id,
            title[..Math.Min(title.Length, Articles.ArticleDraft.MaxTitle)],
            escalation.Team,
            body[..Math.Min(body.Length, Articles.ArticleDraft.MaxBody)],
            $"escalation {escalation.Id}",
            action.UserName,
            time.GetUtcNow());
        return await drafts.AddAsync(draft, cancellationToken)
            ? Reply.PrivateNotice($"Saved {escalation.Id} as a draft article; support-ops review it on the Drafts page (/articles).")
            : Reply.PrivateNotice($"{escalation.Id} is in the review queue already.");
    }

    /// <summary>A rating button (or its comment): kept when the value is the escalation's and nobody rated it yet.</summary>
    public async Task<Reply?> RateAsync(InboundMessage action, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(action);
        var escalation = EscalationActionSigner.PayloadOf(action.ActionTarget) is { } id ? await store.GetAsync(id, cancellationToken) : null;
        if (escalation is null)
        {
            return Reply.PrivateNotice("That escalation no longer exists.");
        }

        if (action.ActionId == ActionIds.EscalationRateComment)
        {
            return await CommentAsync(escalation, action, cancellationToken);
        }

        if (!int.TryParse(action.ActionId![ActionIds.EscalationRatePrefix.Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var score) || score is < 1 or > 5
            || escalation.Origin.Conversation != action.Conversation
            || await signer.VerifyAsync(action.ActionTarget, RatingBinding(escalation.Id, score), cancellationToken) is null)
        {
            LogRefused(logger, action.Conversation.Surface);
            return Reply.PrivateNotice("That rating button does not belong to this thread.");
        }

        if (escalation.Status != EscalationStatus.Resolved)
        {
            return Reply.PrivateNotice($"{escalation.Id} is not resolved yet.");
        }

        if (escalation.RequesterId is { Length: > 0 } requester && requester != action.UserId)
        {
            return Reply.PrivateNotice($"{escalation.Requester} asked for {escalation.Id}, so they rate it.");
        }

        if (escalation.Rating is { } rated)
        {
            return Reply.PrivateNotice($"{escalation.Id} was rated {rated.Score}/5 by {rated.By} already.");
        }

        await store.SaveAsync(escalation with { Rating = new EscalationRating(score, null, action.UserName, time.GetUtcNow()) }, cancellationToken);
        SupportBotTelemetry.Escalations.Add(1, SupportBotTelemetry.Tag("event", "rated"), SupportBotTelemetry.Tag("team", escalation.Team));
        LogRated(logger, escalation.Id, score);
        return Reply.PrivateNotice($"Thanks, {escalation.Id} is rated {score}/5.");
    }

    private async Task<Reply?> CommentAsync(Escalation escalation, InboundMessage action, CancellationToken cancellationToken)
    {
        // The comment's value is the escalation id signed for its comment; only the person who rated adds one.
        if (await signer.VerifyAsync(action.ActionTarget, CommentBinding(escalation.Id), cancellationToken) is null
            || escalation.Rating is not { } rating || rating.By != action.UserName)
        {
            LogRefused(logger, action.Conversation.Surface);
            return null;
        }

        var comment = SensitiveDataRedactor.Redact(action.Text.Trim());
        comment = comment[..Math.Min(comment.Length, EscalationRating.MaxComment)];
        await store.SaveAsync(escalation with { Rating = rating with { Comment = comment.Length == 0 ? null : comment } }, cancellationToken);
        return null;
    }

    /// <summary>The value a comment form carries for <paramref name="escalationId"/> (surfaces ask for it when a rating is given).</summary>
    public Task<string> CommentValueAsync(string escalationId, CancellationToken cancellationToken) =>
        signer.SignAsync(escalationId, CommentBinding(escalationId), cancellationToken).AsTask();

    /// <summary>
    /// The resolved escalation as knowledge (masked): the problem, the outcome and the team's notes, linked to the team's
    /// thread (else the requester's).
    /// </summary>
    private PastThreads.PastThread PastThreadOf(Escalation resolved, string outcome, IReadOnlyList<ConversationTurn> teamThread)
    {
        var summary = SensitiveDataRedactor.Redact(resolved.Summary);
        var notes = string.Join("\n", teamThread.PeopleSaid());
        var problem = EscalationSummary.ProblemOf(summary);
        var text = $"{summary}\nOutcome: {SensitiveDataRedactor.Redact(outcome)}" + (notes.Length > 0 ? $"\nTeam notes:\n{notes}" : string.Empty);
        return new PastThreads.PastThread(
            resolved.Id,
            $"{resolved.Id}: {problem ?? resolved.Team}",
            text[..Math.Min(text.Length, PastThreads.PastThread.MaxText)],
            resolved.Team,
            resolved.Target?.Link ?? resolved.Origin.Link,
            time.GetUtcNow(),
            PastThreads.PastThreadKind.Escalation,
            resolved.CaseId);
    }

    private static string Stars(int score) => score.ToString(CultureInfo.InvariantCulture) + " ★";

    private static string RatingBinding(string id, int score) => string.Create(CultureInfo.InvariantCulture, $"{id}|rate|{score}");

    private static string CommentBinding(string id) => $"{id}|rate-comment";

    private static string ArticleBinding(string id) => $"{id}|article";

    [LoggerMessage(Level = LogLevel.Information, Message = "Escalation {Id} rated {Score}/5")]
    private static partial void LogRated(ILogger logger, string id, int score);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A rating on {Surface} was refused: its signed value does not match")]
    private static partial void LogRefused(ILogger logger, string surface);
}
