using SupportBot.Core.Conversations;
using SupportBot.Core.Escalations;

namespace SupportBot.Tests.Escalations;

/// <summary>The escalation form's rules on the built-in routes: what it offers, how it is prefilled, what it refuses.</summary>
public sealed class EscalationFormTests
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.Parse("2026-11-25T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

    private static EscalationForms Forms(params string[] surfaces) =>
        new(EscalationRoutes.Load(EscalationOptions.BuiltInRoutes), new ThreadPosters(surfaces.Select(s => new NamedPoster(s))));

    private static EscalationForms BothPlatforms => Forms("slack", "teams");

    [Fact]
    public void It_offers_every_team_and_four_severities()
    {
        var prompt = BothPlatforms.Prefill(string.Empty, []);

        Assert.Equal(["payments", "payouts", "disputes", "risk", "connect", "billing", "tax", "identity", "platform"], prompt.Teams.Select(t => t.Value));
        Assert.Equal("Risk & Fraud", prompt.Teams.Single(t => t.Value == "risk").Title);
        Assert.Equal(["sev1", "sev2", "sev3", "sev4"], prompt.Severities.Select(s => s.Value));
        Assert.Equal(new EscalationFormValues("platform", "sev3", null, string.Empty), prompt.Values);
        Assert.Equal("platform", prompt.SuggestedTeam);
        Assert.Empty(prompt.Errors);
    }

    [Theory]
    [InlineData("to disputes sev2 evidence due today", "disputes", "sev2", "evidence due today", null)]
    [InlineData("disputes sev1 evidence due today", "disputes", "sev1", "evidence due today", null)]
    [InlineData("merchant has a chargeback on case 12346", "disputes", "sev3", "merchant has a chargeback on case 12346", "disputes")]
    [InlineData("sev2 payout stuck for case #48213", "payouts", "sev2", "payout stuck for case #48213", "payouts")]
    [InlineData("to the acquirer please", "platform", "sev3", "to the acquirer please", "platform")]
    public void A_commands_text_prefills_team_severity_and_summary(string text, string team, string severity, string summary, string? suggested)
    {
        var prompt = BothPlatforms.Prefill(text, []);

        Assert.Equal((team, severity, summary), (prompt.Values.Team, prompt.Values.Severity, prompt.Values.Summary));
        Assert.Equal(suggested, prompt.SuggestedTeam);
    }

    [Fact]
    public void The_thread_suggests_the_team_and_gives_the_case_and_the_first_question()
    {
        ConversationTurn[] thread =
        [
            new(Speaker.User, "Why did the payout to the merchant's bank account fail?", T0),
            new(Speaker.Bot, "Payouts fail when the bank account is closed [1].", T0),
            new(Speaker.User, "case 48213", T0),
        ];

        var prompt = BothPlatforms.Prefill(new EscalateCommand(null, null, null), thread);

        Assert.Equal(new EscalationFormValues("payouts", "sev3", "48213", "Why did the payout to the merchant's bank account fail?"), prompt.Values);
        Assert.Equal("payouts", prompt.SuggestedTeam);
    }

    [Fact]
    public void A_valid_submission_becomes_a_request()
    {
        var errors = BothPlatforms.Validate(new EscalationFormValues(" Disputes ", "SEV2", " #12346 ", "  Evidence due today  "), out var request);

        Assert.Empty(errors);
        Assert.Equal("disputes", request!.Route.Team);
        Assert.Equal((Severity.Sev2, "12346", "Evidence due today"), (request.Severity, request.CaseId, request.Summary));
        Assert.Equal(new EscalationFormValues("disputes", "sev2", "12346", "Evidence due today"), request.Values);
    }

    [Fact]
    public void An_empty_case_id_is_fine()
    {
        Assert.Empty(BothPlatforms.Validate(new EscalationFormValues("risk", "sev4", "  ", "a question"), out var request));
        Assert.Null(request!.CaseId);
    }

    [Fact]
    public void Every_wrong_field_is_named_with_what_to_do()
    {
        var errors = BothPlatforms.Validate(new EscalationFormValues("legal", "sev9", "12ab", " "), out var request);

        Assert.Null(request);
        Assert.Equal("There is no team 'legal'. Pick one from the list.", errors[EscalationFormField.Team]);
        Assert.Equal("Pick a severity from sev1 to sev4.", errors[EscalationFormField.Severity]);
        Assert.Equal("A case id is digits only (at most 12), e.g. 12345.", errors[EscalationFormField.CaseId]);
        Assert.Equal("Say what the team should look at.", errors[EscalationFormField.Summary]);

        var missing = BothPlatforms.Validate(new EscalationFormValues(null, null, "1234567890123", new string('x', EscalationForms.MaxSummaryLength + 1)), out _);
        Assert.Equal("Pick the team to escalate to.", missing[EscalationFormField.Team]);
        Assert.Contains("at most 12", missing[EscalationFormField.CaseId], StringComparison.Ordinal);
        Assert.Equal("Keep the summary to 1500 characters (it has 1501).", missing[EscalationFormField.Summary]);
    }

    [Fact]
    public void A_team_on_a_platform_that_is_not_connected_is_refused()
    {
        var errors = Forms("slack").Validate(new EscalationFormValues("risk", "sev2", null, "card testing"), out var request);

        Assert.Null(request);
        Assert.Equal("Risk & Fraud works on teams, which is not connected here; escalate to them directly.", Assert.Single(errors).Value);
    }

    [Fact]
    public void Values_travel_as_an_action_target_and_the_summary()
    {
        var values = new EscalationFormValues("disputes", "sev2", "12346", "evidence | due");

        Assert.Equal("disputes|sev2|12346", values.PackTarget());
        Assert.Equal(values, EscalationFormValues.Unpack(values.PackTarget(), values.Summary));
        Assert.Equal(new EscalationFormValues("a", "b", "c|d", "s"), EscalationFormValues.Unpack("a|b|c|d", "s"));
        Assert.Equal(new EscalationFormValues(null, null, null, null), EscalationFormValues.Unpack(null, null));
    }

    private sealed class NamedPoster(string name) : IThreadPoster
    {
        public string Name => name;

        public Task<ThreadAddress> StartThreadAsync(RouteDestination destination, Core.Surfaces.Reply first, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task PostAsync(ThreadAddress thread, Core.Surfaces.Reply reply, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<string?> LinkAsync(ThreadAddress thread, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
