using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using SupportBot.Core.Surfaces;

namespace SupportBot.Slack.BlockKit;

/// <summary>A reply as Slack shows it: Block Kit blocks and the plain <c>text</c> fallback (notifications, screen readers).</summary>
internal sealed record SlackRenderedReply(string Text, JsonArray Blocks);

/// <summary>
/// Renders a platform-neutral <see cref="Reply"/> as Block Kit: the answer in sections, the numbered
/// sources as links, and the buttons. Slack's limits: 50 blocks per message, 3,000 characters per section
/// text, 40,000 characters of <c>text</c>.
/// </summary>
internal static class SlackReplyRenderer
{
    public const int MaxBlocks = 50;
    public const int MaxSectionText = 3_000;
    public const int MaxFallbackText = 40_000;

    public static SlackRenderedReply Render(Reply reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        var answer = SlackText.Escape(reply.Text);
        var sources = reply.Citations.Select(c =>
            string.Create(CultureInfo.InvariantCulture, $"[{c.N}] {(c.Url.Length > 0 ? SlackText.Link(c.Url, c.Title) : SlackText.Escape(c.Title))}{(c.StaleNote is { } note ? $" _({note})_" : string.Empty)}")).ToList();

        var actions = reply.ActionsWithEscalate();
        var sourceSections = sources.Count == 0 ? [] : SlackText.Split("*Sources*\n" + string.Join('\n', sources), MaxSectionText);
        var page = Page(reply.Notify, reply.Kind == ReplyKind.Answer ? "could someone help with this one?" : null);
        var tail = sourceSections.Count + (actions.Count > 0 ? 1 : 0) + (page is null ? 0 : 1);
        var answerSections = SlackText.Split(answer, MaxSectionText).ToList();
        var room = MaxBlocks - tail;
        var shortened = answerSections.Count > room;
        if (shortened)
        {
            // Keep one block for the note that says so.
            answerSections = answerSections.Take(room - 1).ToList();
        }

        var blocks = new JsonArray();
        foreach (var section in answerSections)
        {
            blocks.Add(Section(section));
        }

        if (shortened)
        {
            blocks.Add(new JsonObject
            {
                ["type"] = "context",
                ["elements"] = new JsonArray(Mrkdwn("_The answer was shortened to fit one Slack message._")),
            });
        }

        foreach (var section in sourceSections)
        {
            blocks.Add(Section(section));
        }

        if (page is not null)
        {
            blocks.Add(Section(page));
        }

        if (actions.Count > 0)
        {
            var buttons = new JsonArray();
            foreach (var action in actions)
            {
                buttons.Add(new JsonObject
                {
                    ["type"] = "button",
                    ["action_id"] = action.Id,
                    ["value"] = action.Value ?? action.Id,
                    ["text"] = new JsonObject { ["type"] = "plain_text", ["text"] = action.Label, ["emoji"] = false },
                });
            }

            blocks.Add(new JsonObject { ["type"] = "actions", ["block_id"] = "supportbot.actions", ["elements"] = buttons });
        }

        return new SlackRenderedReply(Fallback(answer, sources, page), blocks);
    }

    /// <summary>
    /// The people and groups to notify, as Slack mentions (<c>&lt;!subteam^S…&gt;</c> for a user group, <c>&lt;@U…&gt;</c> for a
    /// person), with <paramref name="ask"/> after them; null when there is nobody to notify.
    /// </summary>
    private static string? Page(IReadOnlyList<string> notify, string? ask)
    {
        if (notify.Count == 0)
        {
            return null;
        }

        var mentions = string.Join(' ', notify.Select(id => id.StartsWith('S') ? $"<!subteam^{SlackText.Escape(id)}>" : $"<@{SlackText.Escape(id)}>"));
        return ask is null ? "cc " + mentions : mentions + " " + ask;
    }

    private static string Fallback(string answer, List<string> sources, string? page)
    {
        var text = new StringBuilder(answer);
        if (sources.Count > 0)
        {
            text.Append("\n\nSources:\n").AppendJoin('\n', sources);
        }

        if (page is not null)
        {
            text.Append("\n\n").Append(page);
        }

        return text.Length <= MaxFallbackText ? text.ToString() : SlackText.Split(text.ToString(), MaxFallbackText)[0];
    }

    private static JsonObject Section(string mrkdwn) => new() { ["type"] = "section", ["text"] = Mrkdwn(mrkdwn) };

    private static JsonObject Mrkdwn(string text) => new() { ["type"] = "mrkdwn", ["text"] = text };
}
