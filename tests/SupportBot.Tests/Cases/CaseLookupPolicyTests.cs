using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using SupportBot.Core.Audit;
using SupportBot.Core.Cases;
using SupportBot.Core.Conversations;
using SupportBot.Core.Escalations;
using SupportBot.Core.Surfaces;

namespace SupportBot.Tests.Cases;

/// <summary>Where case data may go: in place only where only the asker reads it (or an allowed channel), never to outsiders; always audited.</summary>
public sealed class CaseLookupPolicyTests
{
    private readonly InMemoryAuditTrail _audit = new();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-12-01T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    private CaseLookupService Service(params string[] allowedChannels)
    {
        var options = new CaseOptions();
        foreach (var channel in allowedChannels)
        {
            options.AllowedChannels.Add(channel);
        }

        return new CaseLookupService(new FileCaseProvider(Options.Create(new CaseOptions())), new InMemoryEscalationStore(), _audit, Options.Create(options), _time);
    }

    private static CaseRequest In(ConversationScope scope, string channel = "C0SUPPORT", bool external = false) =>
        new("slack", "T0001", "UAGENT01", "agent", new ConversationRef("slack", channel, "1710000000.000100"), scope, external);

    [Fact]
    public async Task In_a_channel_the_case_goes_only_to_the_asker()
    {
        var reply = await Service().LookUpAsync("12345", In(ConversationScope.Channel), CancellationToken.None);

        Assert.Equal(ReplyAudience.Requester, reply.Audience);
        Assert.StartsWith("Case 12345:", reply.Text, StringComparison.Ordinal);
        var entry = Assert.Single(await _audit.ReadAsync(10, CancellationToken.None));
        Assert.Equal(("case.lookup", "12345", "shown-privately", "UAGENT01", "slack", "T0001", "C0SUPPORT/1710000000.000100"), (entry.Action, entry.Subject, entry.Outcome, entry.UserId, entry.Surface, entry.Tenant, entry.Where));
        Assert.Equal(_time.GetUtcNow(), entry.At);
    }

    [Fact]
    public async Task In_a_direct_conversation_the_case_is_answered_in_place()
    {
        var reply = await Service().LookUpAsync("12345", In(ConversationScope.Direct, "D0DIRECT"), CancellationToken.None);

        Assert.Equal(ReplyAudience.Thread, reply.Audience);
        Assert.Equal("shown", Assert.Single(await _audit.ReadAsync(10, CancellationToken.None)).Outcome);
    }

    [Theory]
    [InlineData("C0CASES")]
    [InlineData("slack:C0CASES")]
    public async Task In_an_allowed_channel_the_case_is_answered_in_place(string allowed)
    {
        var reply = await Service(allowed).LookUpAsync("12345", In(ConversationScope.Channel, "C0CASES"), CancellationToken.None);
        Assert.Equal(ReplyAudience.Thread, reply.Audience);

        var elsewhere = await Service(allowed).LookUpAsync("12345", In(ConversationScope.Channel, "C0OTHER"), CancellationToken.None);
        Assert.Equal(ReplyAudience.Requester, elsewhere.Audience);
    }

    [Fact]
    public async Task A_user_of_another_organisation_sees_no_case_data()
    {
        var reply = await Service().LookUpAsync("12345", In(ConversationScope.Direct, "D0DIRECT", external: true), CancellationToken.None);

        Assert.Equal(CaseLookupService.ExternalRefusal, reply.Text);
        Assert.Equal("refused-external", Assert.Single(await _audit.ReadAsync(10, CancellationToken.None)).Outcome);
    }

    [Fact]
    public async Task Misses_are_audited_and_private_too()
    {
        var reply = await Service().LookUpAsync("99999", In(ConversationScope.Channel), CancellationToken.None);

        Assert.Equal(ReplyAudience.Requester, reply.Audience);
        Assert.Equal("not-found", Assert.Single(await _audit.ReadAsync(10, CancellationToken.None)).Outcome);
    }

    [Fact]
    public void Internal_notes_are_never_rendered()
    {
        var at = DateTimeOffset.Parse("2026-11-20T09:14:00Z", System.Globalization.CultureInfo.InvariantCulture);
        var supportCase = new SupportCase("1", "Subject", "open", "high", "payouts", new CaseRequester("M", "m@example.com"), "T", at, at,
            [new CaseUpdate(at, "Kai", "internal: merchant flagged for review", Public: false), new CaseUpdate(at.AddMinutes(1), "Jo", "where is my payout?")]);

        var text = CaseLookupService.Render(supportCase, []).Text;

        Assert.DoesNotContain("flagged for review", text, StringComparison.Ordinal);
        Assert.Contains("Jo: where is my payout?", text, StringComparison.Ordinal);
    }
}
