using SupportBot.Knowledge.Connectors;

namespace SupportBot.Tests.Knowledge.Connectors;

public sealed class ConnectorOptionsTests
{
    [Fact]
    public void A_complete_zendesk_source_over_https_is_valid() =>
        Assert.Empty(ConnectorOptionsValidator.Check("helpcenter", Zendesk("https://acme.zendesk.com")));

    [Fact]
    public void Plain_http_is_refused_except_on_loopback()
    {
        Assert.Contains(ConnectorOptionsValidator.Check("helpcenter", Zendesk("http://acme.zendesk.com")), p => p.StartsWith("Knowledge:Connectors:helpcenter:BaseUrl: must use https", StringComparison.Ordinal));
        Assert.Empty(ConnectorOptionsValidator.Check("helpcenter", Zendesk("http://127.0.0.1:5000")));
    }

    [Fact]
    public void Each_missing_setting_is_named()
    {
        var problems = ConnectorOptionsValidator.Check("wiki", new ConnectorOptions { Type = "confluence", BaseUrl = "https://acme.atlassian.net" }).ToList();
        Assert.Contains("Knowledge:Connectors:wiki:Email: required for confluence (the account's e-mail for API token auth)", problems);
        Assert.Contains("Knowledge:Connectors:wiki:ApiToken: required for confluence", problems);
        Assert.Contains("Knowledge:Connectors:wiki:Spaces: name at least one space key", problems);
    }

    [Fact]
    public void An_unknown_type_a_crawler_without_a_start_and_a_bad_name_are_refused()
    {
        Assert.Contains("Knowledge:Connectors:x:Type: must be zendesk, confluence or crawler", ConnectorOptionsValidator.Check("x", new ConnectorOptions { Type = "sharepoint" }));
        Assert.Contains("Knowledge:Connectors:docs:StartUrl: a crawler needs StartUrl or Sitemap", ConnectorOptionsValidator.Check("docs", new ConnectorOptions { Type = "crawler" }));
        Assert.Contains(ConnectorOptionsValidator.Check("a/b", new ConnectorOptions { Type = "crawler", StartUrl = "https://docs.example/" }), p => p.StartsWith("Knowledge:Connectors:a/b: a source's name", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("past-threads")]
    [InlineData("Approved-Articles")]
    public void A_connector_cannot_take_the_name_of_the_bots_own_sources(string name) =>
        Assert.Contains(ConnectorOptionsValidator.Check(name, Zendesk("https://acme.zendesk.com")), p => p == $"Knowledge:Connectors:{name}: '{name}' is the bot's own source of that name; give the connector another");

    private static ConnectorOptions Zendesk(string url) => new() { Type = "zendesk", BaseUrl = url, Email = "bot@example.com", ApiToken = "t" };
}
