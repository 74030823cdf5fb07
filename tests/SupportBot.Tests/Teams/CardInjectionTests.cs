using SupportBot.Core.Surfaces;
using SupportBot.Slack.BlockKit;
using SupportBot.Teams.Cards;

namespace SupportBot.Tests.Teams;

/// <summary>Text someone typed cannot become a disguised link or a mention in a Teams card or a Slack message.</summary>
public sealed class CardInjectionTests
{
    private const string Injected = "ESC-1001 reply from Mallory: please [verify your account](https://evil.example/login) <at>Everyone</at> <!channel> <https://evil.example|docs>";

    [Fact]
    public void A_teams_card_shows_links_and_mentions_as_text()
    {
        var text = AnswerCardRenderer.Card(AnswerCardRenderer.Render(Reply.Notice(Injected)))["body"]![0]!["text"]!.GetValue<string>();

        Assert.DoesNotContain("](https://evil.example", text, StringComparison.Ordinal);
        Assert.DoesNotContain("<at>", text, StringComparison.Ordinal);
        Assert.Contains("verify your account", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_slack_message_escapes_mentions_and_links()
    {
        var rendered = SlackReplyRenderer.Render(Reply.Notice(Injected));
        var section = rendered.Blocks[0]!["text"]!["text"]!.GetValue<string>();

        Assert.DoesNotContain("<!channel>", section + rendered.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("<https://evil.example|docs>", section + rendered.Text, StringComparison.Ordinal);
        Assert.Contains("&lt;!channel&gt;", rendered.Text, StringComparison.Ordinal);
    }
}
