using System.Diagnostics;
using System.Text.Json.Nodes;
using SupportBot.Core.Answering;
using SupportBot.Core.Escalations;
using SupportBot.Core.Surfaces;
using SupportBot.Teams.Cards;

namespace SupportBot.IntegrationTests.Teams;

/// <summary>
/// SupportBot's cards checked by the official Adaptive Cards library (npm <c>adaptivecards</c>, installed
/// by test.sh into tests/teams-validation): parsed as a client would, every property validated.
/// </summary>
public sealed class AdaptiveCardValidationTests
{
    private static readonly Citation[] Citations =
    [
        new(1, "Responding to a dispute", "https://kb.paylane.example/disputes/responding-to-a-dispute", "disputes/responding.md"),
        new(2, "Evidence [by reason code]", "https://kb.paylane.example/disputes/evidence", "disputes/evidence.md"),
        new(3, "Internal notes", string.Empty, "notes.md"),
    ];

    [Fact]
    public async Task Answer_help_notice_and_trimmed_cards_validate_with_the_official_library()
    {
        var longText = string.Concat(Enumerable.Repeat("Submit the evidence before the deadline in the dashboard [1]. ", 2000));
        Reply[] replies =
        [
            new(ReplyKind.Answer, "Open the dispute and upload evidence before the due date [1]. Pick documents that match the reason code [2].", Citations, true, [ReplyAction.Helpful, ReplyAction.NotHelpful]),
            new(ReplyKind.Answer, "I don't know: the knowledge base does not cover this. The closest articles are listed.", Citations, false, [ReplyAction.Helpful, ReplyAction.NotHelpful]),
            new(ReplyKind.Answer, longText, Citations, true, [ReplyAction.Helpful, ReplyAction.NotHelpful]),
            new(ReplyKind.Help, "I answer product questions.", [], true, []),
            Reply.Notice("Done."),
        ];
        var cards = new JsonArray([.. replies.Select(r => (JsonNode)AnswerCardRenderer.Card(AnswerCardRenderer.Render(r)).DeepClone())]);

        var (exitCode, output) = await ValidateAsync(cards.ToJsonString());

        Assert.True(exitCode == 0, output);
        Assert.Equal(replies.Length, output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public async Task The_feedback_reason_form_its_thanks_the_curation_dialog_and_a_mention_validate_with_the_official_library()
    {
        var answer = new SupportBot.Core.Insights.QuestionRecord(DateTimeOffset.UtcNow, "teams", "Ann", "How do I respond to a dispute?", "Upload evidence before the due date [1].", true, 1, "a1");
        var cited = answer with { SourceIds = ["disputes/respond", "disputes/evidence"], Sources = ["Responding to a dispute", "Evidence that wins"] };
        var mentioned = AnswerCardRenderer.Card(AnswerCardRenderer.Render(Reply.Notice("ESC-1001 for Payouts") with { Notify = ["0b6e3c55-5a0c-4d6e-9f2a-3c1d2e4f5a61"] },
            [new TeamsMention("0b6e3c55-5a0c-4d6e-9f2a-3c1d2e4f5a61", "Mei Tanaka")])).DeepClone();
        JsonNode[] cards =
        [
            FeedbackCard.Ask("a1", answer), FeedbackCard.Thanks(answer), FeedbackCard.Thanks(null), FeedbackCard.RatingComment("ESC-1001", 4, "ESC-1001~mac"),
            SupportBot.Teams.Extensions.CurationAction.Card("a1", cited, error: null), SupportBot.Teams.Extensions.CurationAction.Card("a1", cited, "Choose an article."),
            mentioned,
        ];

        var (exitCode, output) = await ValidateAsync(new JsonArray(cards).ToJsonString());

        Assert.True(exitCode == 0, output);
        Assert.Equal(cards.Length, output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public async Task The_escalation_form_prefilled_refused_and_accepted_validates_with_the_official_library()
    {
        var forms = new EscalationForms(EscalationRoutes.Load(EscalationOptions.BuiltInRoutes), new ThreadPosters([]));
        var prefilled = forms.Prefill("to disputes sev2 evidence for case 12346 is due today", []);
        var suggested = forms.Prefill("merchant sees card testing", []);
        var refused = forms.Refused(new EscalationFormValues("legal", "sev2", "12ab", string.Empty), forms.Validate(new EscalationFormValues("legal", "sev2", "12ab", string.Empty), out _));
        var route = EscalationRoutes.Load(EscalationOptions.BuiltInRoutes).Find("disputes")!;
        JsonNode[] cards =
        [
            AnswerCardRenderer.Card(AnswerCardRenderer.Render(Reply.Notice("This looks like one for Disputes.") with { Form = prefilled })).DeepClone(),
            EscalationFormCard.Card(suggested),
            EscalationFormCard.Card(refused),
            EscalationFormCard.Accepted(new EscalationRequest(route, Severity.Sev2, "12346", "Evidence is due today")),
        ];

        var (exitCode, output) = await ValidateAsync(new JsonArray(cards).ToJsonString());

        Assert.True(exitCode == 0, output);
        Assert.Equal(cards.Length, output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public async Task The_validator_refuses_a_broken_card()
    {
        const string broken = """[{"type":"AdaptiveCard","version":"1.5","body":[{"type":"TextBlock","text":"x"}],"actions":[{"type":"Action.OpenUrl","title":"no url"}]}]""";

        var (exitCode, output) = await ValidateAsync(broken);

        Assert.Equal(1, exitCode);
        Assert.Contains("url", output, StringComparison.Ordinal);
    }

    internal static async Task<(int ExitCode, string Output)> ValidateAsync(string cardsJson)
    {
        var folder = ValidatorFolder();
        Assert.True(Directory.Exists(Path.Combine(folder, "node_modules", "adaptivecards")), "npm package adaptivecards missing: run ./test.sh (it installs it)");
        var start = new ProcessStartInfo("node", "validate-cards.js")
        {
            WorkingDirectory = folder,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var node = Process.Start(start)!;
        await node.StandardInput.WriteAsync(cardsJson);
        node.StandardInput.Close();
        var output = await node.StandardOutput.ReadToEndAsync();
        var errors = await node.StandardError.ReadToEndAsync();
        await node.WaitForExitAsync();
        return (node.ExitCode, output + errors);
    }

    private static string ValidatorFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "teams-validation");
            if (File.Exists(Path.Combine(candidate, "validate-cards.js")))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("tests/teams-validation/validate-cards.js not found above the test output folder.");
    }
}
