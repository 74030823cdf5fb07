using SupportBot.Core.Channels;

namespace SupportBot.Tests.Channels;

public sealed class ChannelsFileTests
{
    [Fact]
    public void Channels_take_what_they_leave_out_from_the_defaults_and_unlisted_channels_get_the_defaults()
    {
        var file = ChannelsFile.Parse("""
            defaults:
              mode: answer
              areas: [payments]
              dailyCap: 100
            channels:
              slack:C1:
                name: disputes-desk
                areas: [disputes, payments]
                private: true
              teams:19:abc@thread.tacv2:
                mode: off
            """);

        var slack = file.For("slack:C1");
        Assert.Equal((ChannelMode.Answer, true, 100, "disputes-desk"), (slack.Mode, slack.Private, slack.DailyCap, slack.Name));
        Assert.Equal(["disputes", "payments"], slack.Areas);
        Assert.Equal(ChannelMode.Off, file.For("teams:19:abc@thread.tacv2").Mode);
        var other = file.For("slack:C9");
        Assert.Equal((ChannelMode.Answer, false), (other.Mode, other.Private));
        Assert.Equal(["payments"], other.Areas);
    }

    [Fact]
    public void No_file_means_todays_behaviour_everywhere() =>
        Assert.Equal(ChannelPolicy.Default, ChannelsFile.Empty.For("slack:C1"));

    [Theory]
    [InlineData("channels:\n  slack:C1:\n    mode: always\n", "mode 'always' is not one of mention, answer, off")]
    [InlineData("channels:\n  C1:\n    mode: answer\n", "name it with its surface")]
    [InlineData("channels:\n  slack:C1:\n    dailyCap: 0\n", "dailyCap must be at least 1")]
    [InlineData("channels:\n  slack:C1:\n    unansweredTag: \"@here\"\n", "is not a user group id")]
    [InlineData("channels:\n  slack:C1:\n    privat: true\n", "line 3")]
    [InlineData("default:\n  mode: answer\n", "line 1")]
    public void A_mistake_is_refused_with_where_it_is(string yaml, string expected)
    {
        var error = Assert.Throws<ChannelsFileException>(() => ChannelsFile.Parse(yaml));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
