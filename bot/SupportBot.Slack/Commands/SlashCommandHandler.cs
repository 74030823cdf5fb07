using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using SupportBot.Core.Answering;
using SupportBot.Core.Cases;
using SupportBot.Core.Conversations;
using SupportBot.Core.Redaction;
using SupportBot.Slack.BlockKit;
using SupportBot.Slack.Events;
using SupportBot.Slack.Modals;

namespace SupportBot.Slack.Commands;

/// <summary>
/// <c>/kb</c>, <c>/case</c>, <c>/escalate</c> and <c>/supportbot</c>. Slack waits three seconds for the
/// answer: quick results go in the immediate body; a search that takes longer is acknowledged at once and
/// its result posted to the command's <c>response_url</c>; <c>/escalate</c> opens the escalation form.
/// Empty or unknown input gets usage help.
/// </summary>
internal sealed partial class SlashCommandHandler(
    IKnowledgeSearch search,
    CaseLookupService cases,
    SlackResponseUrl responses,
    EscalationModals escalationForm,
    TimeProvider time,
    ILogger<SlashCommandHandler> logger)
{
    /// <summary>How long the immediate answer may wait for the search (Slack's limit is 3 s).</summary>
    public static readonly TimeSpan ImmediateBudget = TimeSpan.FromSeconds(2);

    public const int TopArticles = 5;

    public const string Usage =
        "*SupportBot commands*\n" +
        "• `/kb QUERY` — the top knowledge-base articles for QUERY (only you see them)\n" +
        "• `/case ID` — look up a support case\n" +
        "• `/escalate [TEAM] [sev1–sev4] [summary]` — the escalation form: team, severity, case id and summary\n" +
        "• `/supportbot help` — this help\n" +
        "Or mention @SupportBot in a thread (or write to it directly) to get an answer with sources.";

    public const string SearchUnavailable = "The knowledge base cannot be searched right now. Please try again in a minute.";

    public async Task<SlashCommandResponse> HandleAsync(SlashCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        // Masked before anything reads it: the query is echoed back, searched and may be logged.
        var text = SensitiveDataRedactor.Redact(command.Text).Trim();
        switch (command.Command.Trim().ToLowerInvariant())
        {
            case "/kb" when text.Length > 0:
                return await SearchAsync(command, text, cancellationToken);
            case "/kb":
                return new SlashCommandResponse("Usage: `/kb QUERY`, e.g. `/kb dispute evidence deadline`.\n\n" + Usage);
            case "/case" when text.Length > 0:
                // A slash command's answer is ephemeral: only the asker sees it, as in a direct message.
                var request = new CaseRequest(
                    SlackEventReader.SurfaceName, command.EnterpriseId ?? command.TeamId ?? string.Empty, command.UserId, command.UserId,
                    new ConversationRef(SlackEventReader.SurfaceName, command.ChannelId, string.Empty), ConversationScope.Direct, ExternalUser: false);
                return await WithinBudgetAsync(command, "Looking the case up…", async () => Plain((await cases.LookUpAsync(text, request, CancellationToken.None)).Text), cancellationToken);
            case "/case":
                return new SlashCommandResponse("Usage: `/case ID`, e.g. `/case 12345`.");
            case "/escalate":
                return await escalationForm.OpenFromCommandAsync(command, cancellationToken);
            default:
                LogUsage(logger, command.Command);
                return new SlashCommandResponse(Usage);
        }
    }

    private Task<SlashCommandResponse> SearchAsync(SlashCommand command, string query, CancellationToken cancellationToken) =>
        WithinBudgetAsync(
            command,
            $"Searching the knowledge base for “{SlackText.Escape(query)}”…",
            async () => Articles(query, await search.SearchAsync(new SearchRequest(query, [], TopArticles * 3), CancellationToken.None)),
            cancellationToken);

    /// <summary>
    /// Answers in the immediate body when the work finishes within <see cref="ImmediateBudget"/>; otherwise
    /// acknowledges with <paramref name="pending"/> and posts the result to the command's <c>response_url</c>.
    /// </summary>
    private async Task<SlashCommandResponse> WithinBudgetAsync(SlashCommand command, string pending, Func<Task<SlashCommandResponse>> work, CancellationToken cancellationToken = default)
    {
        // Not tied to the request: slow work carries on and answers through response_url.
        var working = Task.Run(work, CancellationToken.None);
        var budget = Task.Delay(ImmediateBudget, time, cancellationToken);
        if (await Task.WhenAny(working, budget) == working || command.ResponseUrl is null)
        {
            try
            {
                return await working;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // A command is never answered with an error page: say what happened instead.
                LogSearchFailed(logger, ex);
                return new SlashCommandResponse(SearchUnavailable);
            }
        }

        responses.PostInBackground(command.ResponseUrl, working, ex => LogLateAnswerFailed(logger, ex));
        return new SlashCommandResponse(pending);
    }

    private static SlashCommandResponse Plain(string text) => new(SlackText.Escape(text));

    internal static SlashCommandResponse Articles(string query, IReadOnlyList<SearchHit> hits)
    {
        var articles = hits.DistinctBy(h => h.ArticleId).Take(TopArticles).ToList();
        var heading = $"Top articles for “{SlackText.Escape(query)}”";
        if (articles.Count == 0)
        {
            return new SlashCommandResponse($"No knowledge-base article matches “{SlackText.Escape(query)}”. Try other words.");
        }

        var list = new StringBuilder();
        var n = 0;
        foreach (var hit in articles)
        {
            n++;
            var title = hit.Url.Length > 0 ? SlackText.Link(hit.Url, hit.Title) : SlackText.Escape(hit.Title);
            list.Append(CultureInfo.InvariantCulture, $"{n}. {title}");
            if (!string.IsNullOrEmpty(hit.Section))
            {
                list.Append(" — ").Append(SlackText.Escape(hit.Section));
            }

            list.Append('\n');
        }

        var body = list.ToString().TrimEnd();
        var blocks = new JsonArray(
            new JsonObject { ["type"] = "section", ["text"] = new JsonObject { ["type"] = "mrkdwn", ["text"] = $"*{heading}*" } });
        foreach (var piece in SlackText.Split(body, SlackReplyRenderer.MaxSectionText))
        {
            blocks.Add(new JsonObject { ["type"] = "section", ["text"] = new JsonObject { ["type"] = "mrkdwn", ["text"] = piece } });
        }

        return new SlashCommandResponse($"{heading}\n{body}", blocks);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Slack: usage shown for command {Command}")]
    private static partial void LogUsage(ILogger logger, string command);

    [LoggerMessage(Level = LogLevel.Error, Message = "Slack: a slash command failed")]
    private static partial void LogSearchFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack: could not post a slow command result to its response_url")]
    private static partial void LogLateAnswerFailed(ILogger logger, Exception exception);
}
