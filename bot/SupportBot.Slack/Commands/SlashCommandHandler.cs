using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using SupportBot.Core.Answering;
using SupportBot.Slack.BlockKit;

namespace SupportBot.Slack.Commands;

/// <summary>
/// <c>/kb</c>, <c>/case</c>, <c>/escalate</c> and <c>/supportbot</c>. Slack waits three seconds for the
/// answer: quick results go in the immediate body; a search that takes longer is acknowledged at once and
/// its result posted to the command's <c>response_url</c>. Empty or unknown input gets usage help.
/// </summary>
public sealed partial class SlashCommandHandler(
    IKnowledgeSearch search,
    SlackResponseUrl responses,
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
        "• `/escalate` — escalate a conversation to a specialist team\n" +
        "• `/supportbot help` — this help\n" +
        "Or mention @SupportBot in a thread (or write to it directly) to get an answer with sources.";

    public const string CaseNotConfigured = "Case lookup is not configured on this SupportBot, so `/case` cannot show cases yet.";

    public const string SearchUnavailable = "The knowledge base cannot be searched right now. Please try again in a minute.";

    public const string EscalationNotAvailable = "Escalation from Slack is not available yet. Please escalate through your team's usual channel for now.";

    public async Task<SlashCommandResponse> HandleAsync(SlashCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var text = command.Text.Trim();
        switch (command.Command.Trim().ToLowerInvariant())
        {
            case "/kb" when text.Length > 0:
                return await SearchAsync(command, text, cancellationToken);
            case "/kb":
                return new SlashCommandResponse("Usage: `/kb QUERY`, e.g. `/kb dispute evidence deadline`.\n\n" + Usage);
            case "/case" when text.Length > 0:
                return new SlashCommandResponse(CaseNotConfigured);
            case "/case":
                return new SlashCommandResponse("Usage: `/case ID`, e.g. `/case 48213`.\n\n" + CaseNotConfigured);
            case "/escalate":
                return new SlashCommandResponse(EscalationNotAvailable);
            default:
                LogUsage(logger, command.Command);
                return new SlashCommandResponse(Usage);
        }
    }

    private async Task<SlashCommandResponse> SearchAsync(SlashCommand command, string query, CancellationToken cancellationToken)
    {
        // Not tied to the request: a slow search carries on and answers through response_url.
        var searching = search.SearchAsync(new SearchRequest(query, [], TopArticles * 3), CancellationToken.None);
        var budget = Task.Delay(ImmediateBudget, time, cancellationToken);
        if (await Task.WhenAny(searching, budget) == searching || command.ResponseUrl is null)
        {
            try
            {
                return Articles(query, await searching);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // A command is never answered with an error page: say what happened instead.
                LogSearchFailed(logger, ex);
                return new SlashCommandResponse(SearchUnavailable);
            }
        }

        _ = Task.Run(async () =>
        {
            try
            {
                await responses.PostAsync(command.ResponseUrl, Articles(query, await searching), CancellationToken.None);
            }
            catch (Exception ex)
            {
                LogLateAnswerFailed(logger, ex);
            }
        }, CancellationToken.None);
        return new SlashCommandResponse($"Searching the knowledge base for “{SlackText.Escape(query)}”…");
    }

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

    [LoggerMessage(Level = LogLevel.Error, Message = "Slack: /kb search failed")]
    private static partial void LogSearchFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack: could not post a slow /kb result to its response_url")]
    private static partial void LogLateAnswerFailed(ILogger logger, Exception exception);
}
