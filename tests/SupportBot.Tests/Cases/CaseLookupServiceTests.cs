using SupportBot.Core.Cases;
using SupportBot.Core.Conversations;

namespace SupportBot.Tests.Cases;

public sealed class CaseLookupServiceTests
{
    private static readonly SupportCase Sample = new(
        "12345",
        "Payout failed: account closed",
        "open",
        "high",
        "payouts",
        new CaseRequester("Maya Okafor", "maya.okafor@brightlane.example"),
        "Tom Becker",
        DateTimeOffset.Parse("2026-11-20T09:14:00Z", System.Globalization.CultureInfo.InvariantCulture),
        DateTimeOffset.Parse("2026-11-24T16:40:00Z", System.Globalization.CultureInfo.InvariantCulture),
        [
            new(DateTimeOffset.Parse("2026-11-20T09:14:00Z", System.Globalization.CultureInfo.InvariantCulture), "Maya", "Card 4242 4242 4242 4242, new IBAN DE89370400440532013000, key sk_live_51HqLyjWDarjtT1zdp7"),
            new(DateTimeOffset.Parse("2026-11-21T10:02:00Z", System.Globalization.CultureInfo.InvariantCulture), "Tom", "Routing number 110000000, account number 000123456789."),
        ]);

    [Fact]
    public void A_case_shows_status_priority_assignee_updates_and_escalations_all_masked()
    {
        var text = CaseLookupService.Render(Sample, ["ESC-7 (payouts, open)"]).Text;

        Assert.Contains("Case 12345: Payout failed: account closed", text, StringComparison.Ordinal);
        Assert.Contains("Status: open · Priority: high · Product: payouts · Assignee: Tom Becker", text, StringComparison.Ordinal);
        Assert.Contains("m•••@brightlane.example", text, StringComparison.Ordinal);
        Assert.Contains("[card ••••4242]", text, StringComparison.Ordinal);
        Assert.Contains("[iban DE••••3000]", text, StringComparison.Ordinal);
        Assert.Contains("sk_live_[redacted]", text, StringComparison.Ordinal);
        Assert.Contains("account number ••••6789", text, StringComparison.Ordinal);
        Assert.Contains("Escalations: ESC-7 (payouts, open)", text, StringComparison.Ordinal);
        foreach (var secret in new[] { "4242 4242 4242 4242", "DE89370400440532013000", "sk_live_51", "maya.okafor@", "000123456789", "110000000" })
        {
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        }

        // Newest update first.
        Assert.True(text.IndexOf("Tom: Routing", StringComparison.Ordinal) < text.IndexOf("Maya: Card", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("case 12345", "12345")]
    [InlineData("Case #12345", "12345")]
    [InlineData("/case ZD-991", "ZD-991")]
    public void Case_requests_are_recognised(string text, string id)
    {
        Assert.Equal(IntentKind.CaseLookup, IntentClassifier.Classify(text));
        Assert.True(IntentClassifier.TryCaseId(text, out var found));
        Assert.Equal(id, found);
    }

    [Theory]
    [InlineData("What is a case study?")]
    [InlineData("case closed, thanks")]
    public void Sentences_about_cases_are_still_questions(string text) => Assert.Equal(IntentKind.Question, IntentClassifier.Classify(text));

    [Fact]
    public void Zendesk_without_its_settings_names_each_key()
    {
        var failures = new CaseOptionsValidator().Validate(null, new CaseOptions { Provider = "zendesk" }).Failures!.ToList();

        Assert.Contains(failures, f => f.StartsWith("Cases:BaseUrl:", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Cases:Email:", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Cases:ApiToken:", StringComparison.Ordinal));
    }

    [Fact]
    public void An_unknown_provider_is_refused() =>
        Assert.StartsWith("Cases:Provider:", new CaseOptionsValidator().Validate(null, new CaseOptions { Provider = "salesforce" }).FailureMessage, StringComparison.Ordinal);
}
