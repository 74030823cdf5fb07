using SupportBot.Core.Escalations;

namespace SupportBot.Tests.Escalations;

public sealed class EscalationRoutesTests
{
    private static EscalationRoutes Sample => EscalationRoutes.Load(EscalationOptions.BuiltInRoutes);

    [Fact]
    public void The_built_in_routes_cover_the_domain_teams_on_both_platforms()
    {
        var routes = Sample;

        Assert.Equal(["payments", "payouts", "disputes", "risk", "connect", "billing", "tax", "identity", "platform"], routes.Routes.Select(r => r.Team));
        Assert.Equal("platform", routes.Default);
        var disputes = routes.Find("Disputes")!;
        Assert.Equal(new RouteDestination("slack", "C0DISPUTES"), disputes.Destination);
        Assert.Equal(TimeSpan.FromMinutes(30), disputes.AcknowledgeWithin);
        Assert.Equal(TimeSpan.FromHours(8), disputes.ResolveWithin);
        Assert.Equal("teams", routes.Find("risk")!.Destination.Surface);
        Assert.Equal("https://smba.trafficmanager.net/emea/", routes.Find("risk")!.Destination.ServiceUrl);
    }

    [Theory]
    [InlineData("Merchant got a chargeback and needs help with evidence for the reason code", "disputes")]
    [InlineData("payout failed twice, bank account looks closed", "payouts")]
    [InlineData("webhook signature verification failing since the api key roll", "platform")]
    [InlineData("hello there", "platform")]
    public void A_thread_suggests_its_team_by_match_words(string thread, string team) =>
        Assert.Equal(team, Sample.Suggest(thread, []).Team);

    [Fact]
    public void Cited_product_areas_vote_too() =>
        Assert.Equal("tax", Sample.Suggest("the merchant is confused", ["tax", "tax"]).Team);

    [Theory]
    [InlineData("default: a\nroutes:\n  - team: a\n    slack: { channel: C1 }\n    colour: blue\n", "line 5")]
    [InlineData("default: a\nroutes:\n  - team: a\n", "needs 'slack' or 'teams'")]
    [InlineData("default: a\nroutes:\n  - team: a\n    slack: { channel: C1 }\n    teams: { serviceUrl: 'https://x.example/', conversation: c }\n", "exactly one platform")]
    [InlineData("default: a\nroutes:\n  - team: a\n    slack: { channel: C1 }\n    sla: { acknowledge: soon }\n", "sla.acknowledge 'soon'")]
    [InlineData("default: b\nroutes:\n  - team: a\n    slack: { channel: C1 }\n", "default 'b'")]
    [InlineData("default: a\nroutes:\n  - team: a\n    slack: { channel: C1 }\n  - team: A\n    slack: { channel: C2 }\n", "defined twice")]
    [InlineData("default: a\nroutes:\n  - team: a\n    teams: { serviceUrl: relative/path, conversation: c }\n", "absolute 'serviceUrl'")]
    [InlineData("", "empty")]
    public void A_broken_routes_file_is_refused_saying_what_and_where(string yaml, string expected)
    {
        var error = Assert.Throws<RoutesException>(() => EscalationRoutes.Parse(yaml));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("45s", 45)]
    [InlineData("30m", 1800)]
    [InlineData("8h", 28800)]
    [InlineData("2d", 172800)]
    public void Durations_take_seconds_minutes_hours_and_days(string text, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), EscalationRoutes.Duration(text, "r", "k"));
}
