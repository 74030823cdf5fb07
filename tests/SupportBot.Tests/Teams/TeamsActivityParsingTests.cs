using System.Text.Json;
using SupportBot.Teams;
using SupportBot.Teams.Activities;

namespace SupportBot.Tests.Teams;

public sealed class TeamsActivityParsingTests
{
    // A channel thread reply as Teams sends it (shape of the Teams docs' example).
    private const string ThreadReply = """
        {
          "type": "message", "channelId": "msteams", "id": "1759944781430",
          "text": "<at>Support Bot</at>&nbsp;how do I refund <at>Ana</at>?",
          "serviceUrl": "https://smba.trafficmanager.net/amer/50612dbb-0237-4969-b378-8d42590f9c00/",
          "channelData": { "teamsChannelId": "19:68@thread.tacv2", "channel": { "id": "19:68@thread.tacv2" }, "tenant": { "id": "50612dbb" } },
          "from": { "id": "29:user", "name": "rido", "aadObjectId": "b15a9416" },
          "recipient": { "id": "28:bot", "name": "Support Bot" },
          "conversation": { "id": "19:68@thread.tacv2;messageid=1759881511856", "isGroup": true, "conversationType": "channel", "tenantId": "50612dbb" },
          "entities": [
            { "mentioned": { "id": "28:bot", "name": "Support Bot" }, "text": "<at>Support Bot</at>", "type": "mention" },
            { "mentioned": { "id": "29:ana", "name": "Ana" }, "text": "<at>Ana</at>", "type": "mention" },
            { "locale": "en-US", "type": "clientInfo" }
          ],
          "localTimezone": "America/Los_Angeles",
          "timestamp": "2025-10-08T17:33:01.4953744Z"
        }
        """;

    private static Activity Parse(string json) => JsonSerializer.Deserialize(json, TeamsJson.Default.Activity)!;

    [Fact]
    public void Only_the_bots_own_mention_is_stripped()
    {
        var (text, mentioned) = MentionText.StripBotMention(Parse(ThreadReply));

        Assert.True(mentioned);
        Assert.Equal("how do I refund <at>Ana</at>?", text);
    }

    [Fact]
    public void A_message_mentioning_someone_else_does_not_mention_the_bot()
    {
        var activity = Parse(ThreadReply.Replace("\"id\": \"28:bot\", \"name\": \"Support Bot\" }, \"text\"", "\"id\": \"29:bob\", \"name\": \"Support Bot\" }, \"text\"", StringComparison.Ordinal));

        Assert.False(MentionText.StripBotMention(activity).Mentioned);
    }

    [Fact]
    public void A_thread_is_the_channel_and_its_root_message()
    {
        var conversation = TeamsSurfaceData.Conversation("19:68@thread.tacv2;messageid=1759881511856");

        Assert.Equal(("teams", "19:68@thread.tacv2", "1759881511856"), (conversation.Surface, conversation.Channel, conversation.Thread));
    }

    [Fact]
    public void A_personal_chat_is_one_thread()
    {
        var conversation = TeamsSurfaceData.Conversation("a:17I0kl9E");

        Assert.Equal(("a:17I0kl9E", "a:17I0kl9E"), (conversation.Channel, conversation.Thread));
    }

    [Fact]
    public void Unknown_fields_survive_a_round_trip()
    {
        var activity = Parse(ThreadReply);
        var written = JsonSerializer.Serialize(activity, TeamsJson.Default.Activity);

        Assert.Equal("50612dbb", activity.TenantId);
        Assert.Contains("\"localTimezone\":\"America/Los_Angeles\"", written, StringComparison.Ordinal);
        Assert.Contains("\"teamsChannelId\":\"19:68@thread.tacv2\"", written, StringComparison.Ordinal);
        Assert.Contains("\"aadObjectId\":\"b15a9416\"", written, StringComparison.Ordinal);
        Assert.Contains("\"locale\":\"en-US\"", written, StringComparison.Ordinal);
    }
}
