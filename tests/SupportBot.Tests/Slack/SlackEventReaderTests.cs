using System.Text.Json;
using SupportBot.Core.Conversations;
using SupportBot.Slack.Events;

namespace SupportBot.Tests.Slack;

public sealed class SlackEventReaderTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 5, 10, 0, 0, TimeSpan.Zero);

    private static EventReading Read(string eventJson, string? botUserId = "U111") =>
        SlackEventReader.Read(JsonDocument.Parse($$"""
            {"token":"t","team_id":"T111","api_app_id":"A111","type":"event_callback","event_id":"Ev111","event_time":1610241741,
             "authorizations":[{"team_id":"T111","user_id":"U111","is_bot":true}],"event":{{eventJson}}}
            """).RootElement, botUserId, Now);

    [Fact]
    public void A_mention_starts_a_thread_at_its_own_ts_with_the_mention_stripped()
    {
        var reading = Read("""{"type":"app_mention","text":"<@U111> How do I respond to a dispute?","user":"U222","ts":"1610241741.000200","channel":"C111","event_ts":"1610241741.000200"}""");
        Assert.Equal(EventDecision.Answer, reading.Decision);
        var message = reading.Message!;
        Assert.Equal("Ev111", message.Id);
        Assert.Equal(new ConversationRef("slack", "C111", "1610241741.000200"), message.Conversation);
        Assert.Equal("How do I respond to a dispute?", message.Text);
        Assert.Equal("U222", message.UserId);
        Assert.Equal("1610241741.000200", message.SurfaceData!["ts"]);
        Assert.Equal("T111", message.SurfaceData!["team"]);
        Assert.Equal(Now, message.ReceivedAt);
    }

    [Fact]
    public void A_mention_inside_a_thread_belongs_to_that_thread()
    {
        var reading = Read("""{"type":"app_mention","text":"and refunds? <@U111>","user":"U222","ts":"1610241799.000100","thread_ts":"1610241741.000200","channel":"C111"}""");
        Assert.Equal("1610241741.000200", reading.Message!.Conversation.Thread);
        Assert.Equal("1610241799.000100", reading.Message.SurfaceData!["ts"]);
        Assert.Equal("and refunds?", reading.Message.Text);
    }

    [Fact]
    public void Without_auth_test_the_bot_is_known_from_the_authorizations()
    {
        var reading = Read("""{"type":"app_mention","text":"<@U111> hi","user":"U222","ts":"1.2","channel":"C111"}""", botUserId: null);
        Assert.Equal("hi", reading.Message!.Text);
        var own = Read("""{"type":"message","channel_type":"im","text":"mine","user":"U111","ts":"1.3","channel":"D111"}""", botUserId: null);
        Assert.Equal(EventDecision.Ignore, own.Decision);
    }

    [Fact]
    public void A_direct_message_is_answered()
    {
        var reading = Read("""{"type":"message","channel_type":"im","text":"Why is a payout delayed?","user":"U222","ts":"1.5","channel":"D111"}""");
        Assert.Equal(EventDecision.Answer, reading.Decision);
        Assert.Equal(new ConversationRef("slack", "D111", "1.5"), reading.Message!.Conversation);
    }

    [Fact]
    public void A_thread_reply_in_a_channel_is_a_follow_up_candidate()
    {
        var reading = Read("""{"type":"message","channel_type":"channel","text":"and then?","user":"U222","ts":"1.9","thread_ts":"1.5","channel":"C111"}""");
        Assert.Equal(EventDecision.FollowUp, reading.Decision);
        Assert.Equal("1.5", reading.Message!.Conversation.Thread);
    }

    [Theory]
    [InlineData("""{"type":"message","channel_type":"im","text":"x","user":"U111","ts":"1.1","channel":"D1"}""")]
    [InlineData("""{"type":"message","channel_type":"im","text":"x","user":"U999","bot_id":"B9","ts":"1.1","channel":"D1"}""")]
    [InlineData("""{"type":"message","subtype":"bot_message","channel_type":"im","text":"x","ts":"1.1","channel":"D1"}""")]
    [InlineData("""{"type":"message","subtype":"message_changed","channel_type":"im","message":{"text":"x","user":"U2"},"ts":"1.1","channel":"D1"}""")]
    [InlineData("""{"type":"message","subtype":"message_deleted","channel_type":"im","ts":"1.1","channel":"D1"}""")]
    [InlineData("""{"type":"message","subtype":"channel_join","channel_type":"channel","text":"<@U2> has joined","user":"U2","ts":"1.1","channel":"C1"}""")]
    [InlineData("""{"type":"message","channel_type":"channel","text":"<@U111> question","user":"U2","ts":"1.1","channel":"C1"}""")]
    [InlineData("""{"type":"reaction_added","user":"U2","reaction":"eyes","item":{"type":"message","channel":"C1","ts":"1.1"}}""")]
    [InlineData("""{"type":"app_mention","text":"<@U111> hi","user":"U2","bot_id":"B2","ts":"1.1","channel":"C1"}""")]
    public void Messages_that_are_not_questions_are_ignored(string ev)
    {
        var reading = Read(ev);
        Assert.Equal(EventDecision.Ignore, reading.Decision);
        Assert.Null(reading.Message);
    }

    [Theory]
    [InlineData("""{"type":"message","channel_type":"channel","text":"chatter","user":"U2","ts":"1.1","channel":"C1"}""")]
    [InlineData("""{"type":"message","channel_type":"channel","text":"thread root","user":"U2","ts":"1.1","thread_ts":"1.1","channel":"C1"}""")]
    public void A_new_post_without_a_mention_is_left_to_the_channels_mode(string ev)
    {
        var reading = Read(ev);
        Assert.Equal(EventDecision.NewPost, reading.Decision);
        Assert.Equal(new SupportBot.Core.Conversations.ConversationRef("slack", "C1", "1.1"), reading.Message!.Conversation);
    }

    [Fact]
    public void A_shared_file_with_a_question_in_a_direct_message_is_answered()
    {
        var reading = Read("""{"type":"message","subtype":"file_share","channel_type":"im","text":"what is this error?","user":"U2","ts":"1.1","channel":"D1"}""");
        Assert.Equal(EventDecision.Answer, reading.Decision);
    }

    [Theory]
    [InlineData("<@U111> hello", "hello")]
    [InlineData("<@U111|supportbot> hello", "hello")]
    [InlineData("hello <@U111>  there", "hello there")]
    [InlineData("ask <@U1112> too", "ask <@U1112> too")]
    [InlineData("<@U111>", "")]
    [InlineData("line one\n<@U111> line two", "line one\n line two")]
    public void Only_the_bots_own_mention_is_stripped(string text, string expected) =>
        Assert.Equal(expected, SlackEventReader.StripMention(text, "U111"));
}
