using SupportBot.Knowledge.Connectors;

namespace SupportBot.Tests.Knowledge.Connectors;

public sealed class RobotsTxtTests
{
    private const string Site = """
        # Example
        User-agent: *
        Disallow: /private/
        Allow: /private/handbook.html
        Disallow: /*.pdf$
        Disallow: /search?
        Crawl-delay: 2

        User-agent: SupportBot
        User-agent: OtherBot
        Disallow: /drafts
        Allow: /drafts/published

        User-agent: supportbot
        Disallow: /internal

        Sitemap: https://docs.example/sitemap.xml
        """;

    [Theory]
    [InlineData("/guide/refunds", true)]
    [InlineData("/drafts/new-feature", false)]
    [InlineData("/drafts/published/a", true)]
    [InlineData("/internal/notes", false)]
    [InlineData("/private/anything", true)] // the * group does not apply to an agent with a group of its own
    public void The_group_naming_our_agent_applies_merged_and_no_other(string path, bool allowed) =>
        Assert.Equal(allowed, RobotsTxt.Parse(Site, "SupportBot/1.0").IsAllowed(path));

    [Theory]
    [InlineData("/private/secret.html", false)]
    [InlineData("/private/handbook.html", true)] // the longer Allow wins
    [InlineData("/files/guide.pdf", false)]
    [InlineData("/files/guide.pdf?download=1", true)] // $ anchors the end
    [InlineData("/search?q=refund", false)]
    [InlineData("/search", true)]
    [InlineData("/robots.txt", true)]
    public void Any_other_agent_gets_the_star_group_with_wildcards_and_longest_match(string path, bool allowed) =>
        Assert.Equal(allowed, RobotsTxt.Parse(Site, "Crawler").IsAllowed(path));

    [Fact]
    public void Crawl_delay_and_sitemaps_are_read()
    {
        var robots = RobotsTxt.Parse(Site, "Crawler");
        Assert.Equal(TimeSpan.FromSeconds(2), robots.CrawlDelay);
        Assert.Equal(["https://docs.example/sitemap.xml"], robots.Sitemaps);
    }

    [Fact]
    public void Equal_length_allow_and_disallow_allow()
    {
        var robots = RobotsTxt.Parse("User-agent: *\nDisallow: /page\nAllow: /page\n", "SupportBot");
        Assert.True(robots.IsAllowed("/page"));
    }

    [Fact]
    public void An_empty_disallow_allows_everything_and_a_slash_disallows_everything()
    {
        Assert.True(RobotsTxt.Parse("User-agent: *\nDisallow:\n", "SupportBot").IsAllowed("/any"));
        Assert.False(RobotsTxt.Parse("User-agent: *\nDisallow: /\n", "SupportBot").IsAllowed("/any"));
        Assert.False(RobotsTxt.DisallowAll.IsAllowed("/any"));
        Assert.True(RobotsTxt.AllowAll.IsAllowed("/any"));
    }

    [Fact]
    public void A_rule_with_non_ascii_characters_matches_the_percent_encoded_path()
    {
        var robots = RobotsTxt.Parse("User-agent: *\nDisallow: /café\n", "SupportBot");
        Assert.False(robots.IsAllowed("/caf%C3%A9/menu"));
        Assert.True(robots.IsAllowed("/cafe/menu"));
    }
}
