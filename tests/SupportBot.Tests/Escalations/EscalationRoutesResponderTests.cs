using SupportBot.Core.Escalations;

namespace SupportBot.Tests.Escalations;

public sealed class EscalationRoutesResponderTests
{
    private const string Head = "default: disputes\nroutes:\n  - team: disputes\n    name: Disputes\n";

    [Fact]
    public void A_slack_route_may_list_user_groups_as_responders()
    {
        var routes = EscalationRoutes.Parse(Head + "    slack: { channel: C0DISPUTES, responders: [S0DISPUTES, S0LEADS] }\n");
        Assert.Equal(["S0DISPUTES", "S0LEADS"], routes.DefaultRoute.Responders);
    }

    [Fact]
    public void A_teams_route_may_list_entra_id_groups_as_responders()
    {
        var routes = EscalationRoutes.Parse(Head + "    teams: { serviceUrl: \"https://smba.trafficmanager.net/emea/\", conversation: \"19:x@thread.tacv2\", responders: [\"8f2a1b6c-0000-4000-8000-000000000001\"] }\n");
        Assert.Equal(["8f2a1b6c-0000-4000-8000-000000000001"], routes.DefaultRoute.Responders);
    }

    [Fact]
    public void Without_responders_anyone_in_the_thread_may_act() =>
        Assert.Empty(EscalationRoutes.Parse(Head + "    slack: { channel: C0DISPUTES }\n").DefaultRoute.Responders);

    [Theory]
    [InlineData("    slack: { channel: C0DISPUTES, responders: [U0PERSON] }\n", "must be a Slack user group id")]
    [InlineData("    teams: { serviceUrl: \"https://smba.trafficmanager.net/emea/\", conversation: \"19:x@thread.tacv2\", responders: [disputes-leads] }\n", "a GUID")]
    public void Responders_that_cannot_be_checked_stop_start_up(string destination, string message)
    {
        var error = Assert.Throws<RoutesException>(() => EscalationRoutes.Parse(Head + destination));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }
}
