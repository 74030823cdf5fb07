using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SupportBot.Core.Answering;
using SupportBot.Core.Surfaces;
using SupportBot.Teams.Activities;

namespace SupportBot.Teams.Cards;

/// <summary>
/// Renders a <see cref="Reply"/> as a Teams message carrying an Adaptive Card 1.5: the text, the
/// numbered sources as links, and the buttons (<c>Action.Execute</c> with an <c>Action.Submit</c>
/// fallback). The plain text is the notification summary and the card's fallback text. A reply that
/// carries the escalation form is shown as that form (<see cref="EscalationFormCard"/>).
/// </summary>
/// <remarks>
/// An answer rendered as an AI message (<c>Teams:AiMessages</c>, <see cref="AiMessage"/>) keeps its text out of the card:
/// the text, with its <c>[n]</c> markers, is the message's own text, which Teams' citations and AI label belong to
/// (Microsoft documents citations for text messages; citations inside Adaptive Cards are a developer preview); the card
/// below it holds what the text cannot (the "not clearly answered" note, the numbered sources for clients that show no
/// citations, mentions, and the Draft, Escalate and Share buttons). Teams' own feedback buttons replace Helpful / Not
/// helpful.
/// </remarks>
internal static class AnswerCardRenderer
{
    public const string ContentType = "application/vnd.microsoft.card.adaptive";
    public const string CardVersion = "1.5";

    /// <summary>Teams refuses messages over about 28 KB; leave room for what the Connector adds.</summary>
    public const int MaxActivityBytes = 26 * 1024;

    private const string Shortened = " … (shortened: the full text is in the sources below)";

    /// <param name="reply">What to say.</param>
    /// <param name="mentions">
    /// The people of <see cref="Reply.Notify"/> whose names are known: mentioned at the end of the card (Teams notifies
    /// them); the card's <c>msteams.entities</c> names each by Entra ID object id, which card mentions accept.
    /// </param>
    /// <param name="aiMessages">Render an answer as an AI message (<c>Teams:AiMessages</c>); other replies are cards either way.</param>
    public static Activity Render(Reply reply, IReadOnlyList<TeamsMention>? mentions = null, bool aiMessages = false)
    {
        ArgumentNullException.ThrowIfNull(reply);
        if (reply.Form is { } form)
        {
            return EscalationFormCard.Render(form, reply.Text);
        }

        mentions ??= [];
        var ai = aiMessages && IsAiMessage(reply);
        var text = Neutralize(reply.Text);
        var activity = Build(reply, text, mentions, ai);
        var size = Size(activity);
        if (size <= MaxActivityBytes)
        {
            return activity;
        }

        // The text appears twice (card and fallback text) and may grow when escaped: keep the share
        // of it that fits, then cut back to a sentence or word boundary.
        var fixedSize = Size(Build(reply, Shortened, mentions, ai));
        while (size > MaxActivityBytes)
        {
            var share = (double)(MaxActivityBytes - fixedSize) / (size - fixedSize);
            var keep = (int)(text.Length * share * 0.98);
            if (keep <= 0)
            {
                return Build(reply, Shortened.TrimStart(' ', '…'), mentions, ai);
            }

            text = Trim(text, keep);
            activity = Build(reply, text + Shortened, mentions, ai);
            size = Size(activity);
        }

        return activity;
    }

    /// <summary>An answer from the knowledge base: what the AI label, citations and feedback buttons are for.</summary>
    public static bool IsAiMessage(Reply reply) => reply.Kind == ReplyKind.Answer && reply.Form is null;

    /// <summary>The plain text of a reply: the text plus its numbered sources (notifications, fallback).</summary>
    public static string PlainText(Reply reply, string text)
    {
        ArgumentNullException.ThrowIfNull(reply);
        if (reply.Citations.Count == 0)
        {
            return text;
        }

        var builder = new StringBuilder(text).Append("\n\nSources:");
        foreach (var citation in reply.Citations)
        {
            builder.Append('\n').Append('[').Append(citation.N).Append("] ").Append(citation.Title);
            if (citation.Url.Length > 0)
            {
                builder.Append(" (").Append(citation.Url).Append(')');
            }

            if (citation.StaleNote is { } note)
            {
                builder.Append(" (").Append(note).Append(')');
            }
        }

        return builder.ToString();
    }

    /// <summary>
    /// Text that reaches a card can carry what someone typed (relayed replies, summaries, case updates): a
    /// TextBlock renders Markdown links, so <c>[label](url)</c> would show a disguised link. A zero-width space
    /// between <c>]</c> and <c>(</c> keeps the text as written but stops the link; <c>&lt;at&gt;</c> is broken the
    /// same way so no one fakes a mention.
    /// </summary>
    internal static string Neutralize(string text) =>
        text.Replace("](", "]\u200B(", StringComparison.Ordinal)
            .Replace("<at", "<\u200Bat", StringComparison.OrdinalIgnoreCase)
            .Replace("</at", "</\u200Bat", StringComparison.OrdinalIgnoreCase);

    public static JsonObject Card(Activity activity) =>
        activity.Attachments?.FirstOrDefault(a => a.ContentType == ContentType)?.Content?.AsObject()
        ?? throw new InvalidOperationException("The activity carries no Adaptive Card.");

    private static Activity Build(Reply reply, string text, IReadOnlyList<TeamsMention> mentions, bool ai)
    {
        var body = new JsonArray();
        if (!ai)
        {
            body.Add(new JsonObject { ["type"] = "TextBlock", ["text"] = text, ["wrap"] = true });
        }

        if (reply.Kind == ReplyKind.Answer && !reply.Confident)
        {
            body.Add(new JsonObject
            {
                ["type"] = "TextBlock", ["text"] = "The knowledge base does not clearly answer this.",
                ["wrap"] = true, ["isSubtle"] = true, ["size"] = "Small",
            });
        }

        if (reply.Citations.Count > 0)
        {
            body.Add(new JsonObject { ["type"] = "TextBlock", ["text"] = "Sources", ["weight"] = "Bolder", ["spacing"] = "Medium", ["wrap"] = true });
            body.Add(new JsonObject { ["type"] = "TextBlock", ["text"] = Sources(reply.Citations), ["wrap"] = true, ["spacing"] = "Small" });
        }

        var msteams = new JsonObject { ["width"] = "Full" };
        if (mentions.Count > 0)
        {
            var tags = string.Join(' ', mentions.Select(m => m.Tag));
            body.Add(new JsonObject
            {
                ["type"] = "TextBlock", ["wrap"] = true, ["spacing"] = "Medium",
                ["text"] = reply.Kind == ReplyKind.Answer ? $"{tags} could someone help with this one?" : $"cc {tags}",
            });
            msteams["entities"] = new JsonArray([.. mentions.Select(m => (JsonNode)new JsonObject
            {
                ["type"] = "mention",
                ["text"] = m.Tag,
                ["mentioned"] = new JsonObject { ["id"] = m.Id, ["name"] = m.Name },
            })]);
        }

        var card = new JsonObject
        {
            ["type"] = "AdaptiveCard",
            ["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json",
            ["version"] = CardVersion,
            ["fallbackText"] = PlainText(reply, text),
            ["body"] = body,
            ["msteams"] = msteams,
        };

        var actions = Actions(reply, ai);
        if (actions.Count > 0)
        {
            card["actions"] = actions;
        }

        var activity = new Activity
        {
            Type = ActivityTypes.Message,
            Summary = Summary(text),
            Attachments = [new Attachment { ContentType = ContentType, Content = card }],
        };
        if (ai)
        {
            activity.Text = text;
            activity.Entities = [AiMessage.MessageEntity(reply.Citations)];
            activity.ChannelData = AiMessage.WithFeedbackLoop(activity.ChannelData);
        }

        return activity;
    }

    /// <summary>Numbered sources, each a Markdown link (Adaptive Card TextBlocks render links).</summary>
    private static string Sources(IReadOnlyList<Citation> citations) =>
        string.Join("\n", citations.Select(c => c.Url.Length > 0 && Uri.IsWellFormedUriString(c.Url, UriKind.Absolute)
            ? $"{c.N}. [{EscapeLinkText(c.Title)}]({c.Url}){StaleSuffix(c)}"
            : $"{c.N}. {c.Title}{StaleSuffix(c)}"));

    private static string StaleSuffix(Citation citation) => citation.StaleNote is { } note ? $" _({note})_" : string.Empty;

    private static string EscapeLinkText(string title) => title.Replace("[", "(", StringComparison.Ordinal).Replace("]", ")", StringComparison.Ordinal);

    /// <summary>The reply's buttons; under an AI message Teams' own feedback buttons stand for Helpful / Not helpful.</summary>
    private static JsonArray Actions(Reply reply, bool ai)
    {
        var actions = new JsonArray();
        var buttons = reply.ActionsWithEscalate().Where(a => !ai || !CardVerbs.IsFeedback(a.Id));
        foreach (var action in buttons)
        {
            actions.Add(new JsonObject
            {
                ["type"] = "Action.Execute",
                ["title"] = action.Label,
                ["verb"] = action.Id,
                ["data"] = Data(action),
                // Clients without Universal Actions send the same data as a message with a value.
                ["fallback"] = new JsonObject
                {
                    ["type"] = "Action.Submit",
                    ["title"] = action.Label,
                    ["data"] = Data(action),
                },
            });
        }

        return actions;
    }

    private static JsonObject Data(ReplyAction action)
    {
        var data = new JsonObject { [CardVerbs.DataKey] = action.Id };
        if (action.Value is { } value)
        {
            data[CardVerbs.ValueKey] = value;
        }

        return data;
    }

    /// <summary>The notification preview: the first sentence or so, without citation markers.</summary>
    private static string Summary(string text)
    {
        var plain = System.Text.RegularExpressions.Regex.Replace(text, @"\s*\[[0-9]+\]", string.Empty);
        return plain.Length <= 200 ? plain : Trim(plain, 197) + "…";
    }

    /// <summary>Cuts <paramref name="text"/> to at most <paramref name="max"/> characters, at a sentence end if one is near, else at a space.</summary>
    internal static string Trim(string text, int max)
    {
        if (text.Length <= max)
        {
            return text;
        }

        var cut = text[..max];
        var sentence = cut.LastIndexOfAny(['.', '!', '?', '\n']);
        if (sentence >= max / 2)
        {
            return cut[..(sentence + 1)].TrimEnd();
        }

        var space = cut.LastIndexOf(' ');
        return (space > 0 ? cut[..space] : cut).TrimEnd();
    }

    private static int Size(Activity activity) => Encoding.UTF8.GetByteCount(JsonSerializer.Serialize(activity, TeamsJson.Default.Activity));
}

/// <summary>A person a Teams card mentions: their Entra ID object id and the display name the <c>&lt;at&gt;</c> tag shows.</summary>
internal sealed record TeamsMention(string Id, string Name)
{
    /// <summary>The tag in the card's text; the entity's <c>text</c> must match it exactly. Angle brackets in a name are dropped.</summary>
    public string Tag { get; } = $"<at>{Name.Replace("<", string.Empty, StringComparison.Ordinal).Replace(">", string.Empty, StringComparison.Ordinal)}</at>";
}
