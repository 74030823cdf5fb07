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

    /// <summary>
    /// The <c>action_id</c> of the <c>feedback_buttons</c> element under a streamed answer; each button's value is
    /// <c>{feedback action id}|{answer id}</c> (<see cref="FeedbackButtons"/>).
    /// </summary>
    public const string FeedbackButtonsActionId = "feedback.buttons";

    public static SlackRenderedReply Render(Reply reply) => Render(reply, nativeFeedback: false);

    /// <summary>
    /// What goes under a natively streamed answer (<c>chat.stopStream</c>'s <c>blocks</c>, shown after the streamed text):
    /// the sources, the tag, the buttons, and the feedback as Slack's <c>feedback_buttons</c> in a <c>context_actions</c> block.
    /// </summary>
    public static JsonArray RenderTail(Reply reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        var full = Render(reply with { Text = string.Empty }, nativeFeedback: true);
        return full.Blocks;
    }

    /// <summary><see cref="Render(Reply)"/> with the feedback as <c>feedback_buttons</c>, as a streamed answer ends.</summary>
    public static SlackRenderedReply RenderNative(Reply reply) => Render(reply, nativeFeedback: true);

    /// <summary>Reads a <c>feedback_buttons</c> value back: the feedback action and the answer it names.</summary>
    public static bool TryReadFeedback(string? value, out string actionId, out string? answerId)
    {
        actionId = string.Empty;
        answerId = null;
        if (value is null)
        {
            return false;
        }

        var bar = value.IndexOf('|', StringComparison.Ordinal);
        var id = bar < 0 ? value : value[..bar];
        if (id is not (ActionIds.Helpful or ActionIds.NotHelpful))
        {
            return false;
        }

        actionId = id;
        answerId = bar < 0 || bar == value.Length - 1 ? null : value[(bar + 1)..];
        return true;
    }

    private static SlackRenderedReply Render(Reply reply, bool nativeFeedback)
    {
        ArgumentNullException.ThrowIfNull(reply);
        var answer = SlackText.Escape(reply.Text);
        var sources = reply.Citations.Select(c =>
            string.Create(CultureInfo.InvariantCulture, $"[{c.N}] {(c.Url.Length > 0 ? SlackText.Link(c.Url, c.Title) : SlackText.Escape(c.Title))}{(c.StaleNote is { } note ? $" _({note})_" : string.Empty)}")).ToList();

        var actions = reply.ActionsWithEscalate();
        var feedback = nativeFeedback ? FeedbackButtons(actions) : null;
        if (feedback is not null)
        {
            actions = [.. actions.Where(a => a.Id is not (ActionIds.Helpful or ActionIds.NotHelpful))];
        }

        var sourceSections = sources.Count == 0 ? [] : SlackText.Split("*Sources*\n" + string.Join('\n', sources), MaxSectionText);
        var page = Page(reply.Notify, reply.Kind == ReplyKind.Answer ? "could someone help with this one?" : null);
        var tail = sourceSections.Count + (actions.Count > 0 ? 1 : 0) + (page is null ? 0 : 1) + (feedback is null ? 0 : 1);
        var answerSections = answer.Length == 0 ? [] : SlackText.Split(answer, MaxSectionText).ToList();
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

        if (feedback is not null)
        {
            blocks.Add(feedback);
        }

        return new SlackRenderedReply(Fallback(answer, sources, page), blocks);
    }

    /// <summary>
    /// Helpful / Not helpful as Slack's <c>feedback_buttons</c> (inside a <c>context_actions</c> block); null when the
    /// reply asks for no feedback. Each button's value names the feedback action and the answer.
    /// </summary>
    private static JsonObject? FeedbackButtons(IReadOnlyList<ReplyAction> actions)
    {
        var helpful = actions.FirstOrDefault(a => a.Id == ActionIds.Helpful);
        var notHelpful = actions.FirstOrDefault(a => a.Id == ActionIds.NotHelpful);
        if (helpful is null || notHelpful is null)
        {
            return null;
        }

        return new JsonObject
        {
            ["type"] = "context_actions",
            ["block_id"] = "supportbot.feedback",
            ["elements"] = new JsonArray(new JsonObject
            {
                ["type"] = "feedback_buttons",
                ["action_id"] = FeedbackButtonsActionId,
                ["positive_button"] = FeedbackButton(helpful.Label, "Mark this answer as helpful", helpful),
                ["negative_button"] = FeedbackButton(notHelpful.Label, "Mark this answer as not helpful", notHelpful),
            }),
        };
    }

    private static JsonObject FeedbackButton(string label, string accessibilityLabel, ReplyAction action) => new()
    {
        ["text"] = new JsonObject { ["type"] = "plain_text", ["text"] = label },
        ["accessibility_label"] = accessibilityLabel,
        ["value"] = action.Value is { Length: > 0 } answerId ? $"{action.Id}|{answerId}" : action.Id,
    };

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
