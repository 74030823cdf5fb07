namespace SupportBot.Teams.Activities;

/// <summary>The bot's own @mention in a message: whether it is there, and the text without it.</summary>
internal static class MentionText
{
    /// <summary>
    /// Removes the bot's mention (the <c>text</c> of each <c>mention</c> entity naming the recipient, e.g.
    /// <c>&lt;at&gt;SupportBot&lt;/at&gt;</c>) as the SDKs' RemoveRecipientMention does; other mentions stay.
    /// </summary>
    public static (string Text, bool Mentioned) StripBotMention(Activity activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        var text = activity.Text ?? string.Empty;
        var botId = activity.Recipient?.Id;
        var mentioned = false;
        foreach (var entity in activity.Entities ?? [])
        {
            if (entity.Type != "mention" || botId is null || !string.Equals(entity.Mentioned?.Id, botId, StringComparison.Ordinal))
            {
                continue;
            }

            mentioned = true;
            var mentionText = entity.Text is { Length: > 0 } t ? t : $"<at>{entity.Mentioned?.Name}</at>";
            text = text.Replace(mentionText, string.Empty, StringComparison.Ordinal);
        }

        return (Normalize(text), mentioned);
    }

    /// <summary>The text of a message body Teams hands over as HTML (a message action's payload): tags dropped, entities decoded.</summary>
    public static string PlainText(string html) =>
        Normalize(System.Net.WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Replace(
            html.Replace("<br>", "\n", StringComparison.OrdinalIgnoreCase).Replace("</p>", "\n", StringComparison.OrdinalIgnoreCase), "<[^>]*>", " ",
            System.Text.RegularExpressions.RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1))));

    // Teams puts a non-breaking space after a mention.
    private static string Normalize(string text) =>
        string.Join(' ', text.Replace("&nbsp;", " ", StringComparison.Ordinal).Replace('\u00a0', ' ')
            .Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
