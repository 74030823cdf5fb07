using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using SupportBot.IntegrationTests.Infrastructure;
using SupportBot.IntegrationTests.Slack;
using SupportBot.Llm.Prompting;

namespace SupportBot.IntegrationTests.Escalations;

/// <summary>
/// Escalation summaries written by a model (the OpenAI stand-in) in the real host: the agent asks in the
/// web chat, escalates to a team that works in Slack (the Slack stand-in), and the team's thread opens
/// with the model's summary — or the heuristic one when the model fails, hangs or talks nonsense.
/// </summary>
public sealed class ModelEscalationSummaryTests : IAsyncLifetime
{
    private const string TeamChannel = "C0DISPUTES";
    private const string Question = "Chargeback on case 12346, the cardholder's card 4242 4242 4242 4242 was charged twice. How do I respond to the dispute?";
    private const string ModelAnswer = "Submit evidence in the Dashboard before the Respond by date [1].";
    private static readonly TimeSpan ModelTimeout = TimeSpan.FromSeconds(3);

    private OpenAiStandIn _model = null!;
    private OidcIssuerStandIn _issuer = null!;
    private SlackApiStandIn _slack = null!;
    private BotHost _host = null!;
    private string _routes = null!;

    public async Task InitializeAsync()
    {
        _model = await OpenAiStandIn.StartAsync();
        _slack = await SlackApiStandIn.StartAsync();
        _issuer = await OidcIssuerStandIn.StartAsync();
        _routes = Path.Combine(Path.GetTempPath(), $"routes-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(_routes, $"""
            default: disputes
            routes:
              - team: disputes
                name: Disputes
                match: [dispute, chargeback]
                slack: {"{"} channel: {TeamChannel} {"}"}
            """);
        _host = await BotHost.StartAsync([
            .. SlackRequests.Settings(_slack),
            $"Escalation:RoutesFile={_routes}",
            "Llm:Provider=openai", $"Llm:Endpoint={_model.OpenAiEndpoint}", "Llm:ApiKey=k", "Llm:Model=m",
            $"Llm:Timeout={ModelTimeout:c}",
            .. _issuer.HostSettings(),
        ]);

        // With Slack configured the web chat is served only behind sign-in.
        await _host.SignInAsync(_issuer, new OidcUser("agent-1", "Ada Agent", "SupportBot.Agent"));
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _slack.DisposeAsync();
        await _issuer.DisposeAsync();
        await _model.DisposeAsync();
        File.Delete(_routes);
    }

    /// <summary>The summary request gets <paramref name="summary"/>; answers are answered normally.</summary>
    private void SummaryGets(Func<HttpContext, Task> summary) =>
        _model.Default = OpenAiStandIn.When(EscalationSummaryPrompt.Instructions[..40], summary, OpenAiStandIn.Answer(ModelAnswer));

    /// <summary>Asks, escalates to Disputes, and returns the team thread's first post and how long the escalation took.</summary>
    private async Task<(string Post, TimeSpan Took)> AskAndEscalateAsync()
    {
        var question = await _host.SendAsync(Question);
        Assert.Equal(ModelAnswer, (await _host.WaitForReplyAsync(question)).Text);

        var clock = Stopwatch.StartNew();
        var escalate = await _host.SendAsync("escalate to disputes needs a decision on the evidence today", question.ThreadId);
        var confirmation = await _host.WaitForReplyAsync(escalate);
        var took = clock.Elapsed;
        Assert.StartsWith("Escalated to Disputes as ESC-1001", confirmation.Text, StringComparison.Ordinal);
        var post = Assert.Single(_slack.CallsTo("chat.postMessage"), c => c.Field("channel") == TeamChannel);
        return (post.Field("text")!, took);
    }

    [Fact]
    public async Task The_team_thread_opens_with_the_models_summary()
    {
        SummaryGets(OpenAiStandIn.Answer("""
            {"problem": "Merchant faces a chargeback for a double charge and must respond.",
             "tried": "The bot explained how to submit evidence before the Respond by date.",
             "caseId": "12346",
             "ask": "A decision on the evidence today."}
            """));

        var (post, _) = await AskAndEscalateAsync();

        Assert.Contains("Problem: Merchant faces a chargeback for a double charge and must respond.\n", post, StringComparison.Ordinal);
        Assert.Contains("Tried: The bot explained how to submit evidence before the Respond by date.\n", post, StringComparison.Ordinal);
        Assert.Contains("Case: 12346\n", post, StringComparison.Ordinal);
        Assert.Contains("Ask: A decision on the evidence today.", post, StringComparison.Ordinal);

        // Structured output was asked for, and the thread reached the model masked, fenced as data.
        var request = Assert.Single(_model.Requests, r => r.Prompt.Contains("You write the summary", StringComparison.Ordinal));
        Assert.Equal("json_schema", request.Body["response_format"]?["type"]?.GetValue<string>());
        Assert.Contains("<conversation>\n[user] Chargeback on case 12346", request.Prompt, StringComparison.Ordinal);
        Assert.Contains("[card ••••4242]", request.Prompt, StringComparison.Ordinal);
        Assert.DoesNotContain("4242 4242 4242 4242", request.Body.ToJsonString(), StringComparison.Ordinal);
        Assert.Contains("<reason>needs a decision on the evidence today</reason>", request.Prompt, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_case_id_the_thread_never_mentions_is_not_posted()
    {
        SummaryGets(OpenAiStandIn.Answer("""{"problem":"Double charge disputed.","tried":"Evidence steps.","caseId":"99999","ask":"Decide today."}"""));

        var (post, _) = await AskAndEscalateAsync();

        Assert.Contains("Problem: Double charge disputed.\n", post, StringComparison.Ordinal);
        Assert.Contains("Case: 12346\n", post, StringComparison.Ordinal);
        Assert.DoesNotContain("99999", post, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("500")]
    [InlineData("hang")]
    public async Task A_failing_model_leaves_the_heuristic_summary_within_the_timeout(string failure)
    {
        SummaryGets(failure switch
        {
            "garbage" => OpenAiStandIn.Answer("Sure! This merchant sounds upset; the disputes team should look."),
            "500" => OpenAiStandIn.Status(500),
            _ => OpenAiStandIn.Hang,
        });

        var (post, took) = await AskAndEscalateAsync();

        Assert.Contains(_model.Requests, r => r.Prompt.Contains("You write the summary", StringComparison.Ordinal));
        Assert.Contains("Problem: Chargeback on case 12346, the cardholder's card [card ••••4242] was charged twice.", post, StringComparison.Ordinal);
        Assert.Contains($"Tried: knowledge-base answer: {ModelAnswer}\n", post, StringComparison.Ordinal);
        Assert.Contains("Case: 12346\n", post, StringComparison.Ordinal);
        Assert.Contains("Ask: needs a decision on the evidence today", post, StringComparison.Ordinal);
        Assert.DoesNotContain("4242 4242 4242 4242", post, StringComparison.Ordinal);

        // The model's budget plus the rest of the escalation (case lookup, posting, the chat's polling).
        Assert.InRange(took, TimeSpan.Zero, ModelTimeout + TimeSpan.FromSeconds(3));
    }
}
