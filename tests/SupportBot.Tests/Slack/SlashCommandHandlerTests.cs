using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Extensions.Options;
using SupportBot.Core.Answering;
using SupportBot.Core.Cases;
using SupportBot.Core.Escalations;
using SupportBot.Core.Conversations;
using SupportBot.Core.Queue;
using SupportBot.Core.State;
using SupportBot.Slack;
using SupportBot.Slack.Commands;
using SupportBot.Slack.Modals;
using SupportBot.Slack.WebApi;

namespace SupportBot.Tests.Slack;

public sealed class SlashCommandHandlerTests
{
    /// <summary>A search whose answer the test releases.</summary>
    private sealed class ControlledSearch : IKnowledgeSearch
    {
        public TaskCompletionSource<IReadOnlyList<SearchHit>> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public List<SearchRequest> Requests { get; } = [];

        public Task<IReadOnlyList<SearchHit>> SearchAsync(SearchRequest request, CancellationToken cancellationToken)
        {
            Requests.Add(request);
            return Result.Task;
        }
    }

    private static SearchHit Hit(string article, string title, string? section = null) =>
        new($"{article}#1", article, title, section, $"https://kb.example/{article}", "disputes", $"{article}.md", "text", 1f, 0.9, []);

    private static SlashCommand Kb(string text, string? responseUrl = null) => new("/kb", text, "U1", "C1", "T1", responseUrl, "trigger");

    private static SlashCommandHandler Handler(IKnowledgeSearch search, TimeProvider time)
    {
        var escalations = new InMemoryEscalationStore();
        var modals = new EscalationModals(
            new SlackApiClient(new UnusedClients(), Options.Create(new SlackOptions()), time),
            new EscalationForms(EscalationRoutes.Load(EscalationOptions.BuiltInRoutes), new ThreadPosters([])),
            new InMemoryConversationStore(Options.Create(new ConversationOptions()), time),
            escalations,
            new InboundGateway(new ChannelInboundQueue(Options.Create(new QueueOptions()), new InMemoryDeduplicator(time)), Options.Create(new QueueOptions()), TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger<InboundGateway>.Instance),
            time,
            NullLogger<EscalationModals>.Instance);
        return new(
            search,
            new CaseLookupService(new FileCaseProvider(Options.Create(new CaseOptions())), escalations, new SupportBot.Core.Audit.InMemoryAuditTrail(), Options.Create(new CaseOptions()), time),
            new SlackResponseUrl(new UnusedClients(), Options.Create(new SlackOptions())),
            modals,
            time,
            NullLogger<SlashCommandHandler>.Instance);
    }

    private sealed class UnusedClients : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => throw new InvalidOperationException("no HTTP in unit tests");
    }

    [Fact]
    public async Task Kb_lists_distinct_articles_in_rank_order()
    {
        var search = new ControlledSearch();
        search.Result.SetResult([Hit("a", "Disputes"), Hit("a", "Disputes", "Evidence"), Hit("b", "Chargebacks & fees", "Fees")]);
        var response = await Handler(search, new FakeTimeProvider()).HandleAsync(Kb(" dispute fees "), CancellationToken.None);

        Assert.False(response.InChannel);
        Assert.Equal("dispute fees", search.Requests.Single().Question);
        Assert.Contains("1. <https://kb.example/a|Disputes>", response.Text, StringComparison.Ordinal);
        Assert.Contains("2. <https://kb.example/b|Chargebacks &amp; fees> — Fees", response.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("3.", response.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failing_search_is_answered_with_a_plain_notice()
    {
        var search = new ControlledSearch();
        search.Result.SetException(new IOException("index locked"));
        var response = await Handler(search, new FakeTimeProvider()).HandleAsync(Kb("dispute"), CancellationToken.None);
        Assert.Equal(SlashCommandHandler.SearchUnavailable, response.Text);
    }

    [Fact]
    public async Task Kb_with_no_match_says_so()
    {
        var search = new ControlledSearch();
        search.Result.SetResult([]);
        var response = await Handler(search, new FakeTimeProvider()).HandleAsync(Kb("zebra"), CancellationToken.None);
        Assert.StartsWith("No knowledge-base article matches", response.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_slow_search_is_acknowledged_within_the_budget()
    {
        var search = new ControlledSearch();
        var time = new FakeTimeProvider();
        var handling = Handler(search, time).HandleAsync(Kb("payout delay", "https://hooks.slack.invalid/x"), CancellationToken.None);
        Assert.False(handling.IsCompleted);

        time.Advance(SlashCommandHandler.ImmediateBudget);
        var response = await handling.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.StartsWith("Searching the knowledge base", response.Text, StringComparison.Ordinal);
        Assert.True(SlashCommandHandler.ImmediateBudget < TimeSpan.FromSeconds(3));
    }

    [Theory]
    [InlineData("/kb", "")]
    [InlineData("/supportbot", "help")]
    [InlineData("/supportbot", "")]
    [InlineData("/nope", "x")]
    [InlineData("", "")]
    public async Task Empty_help_and_unknown_input_get_usage(string command, string text)
    {
        var response = await Handler(new ControlledSearch(), new FakeTimeProvider()).HandleAsync(new SlashCommand(command, text, "U1", "C1", null, null, null), CancellationToken.None);
        Assert.Contains("/kb QUERY", response.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Case_shows_the_case_masked_and_escalate_without_a_trigger_says_the_form_cannot_open()
    {
        var handler = Handler(new ControlledSearch(), new FakeTimeProvider());

        var found = (await handler.HandleAsync(new SlashCommand("/case", "12346", "U1", "C1", null, null, null), CancellationToken.None)).Text;
        Assert.StartsWith("Case 12346: Dispute dp_88aa", found, StringComparison.Ordinal);
        Assert.Contains("[card ••••4242]", found, StringComparison.Ordinal);
        Assert.DoesNotContain("4242 4242 4242 4242", found, StringComparison.Ordinal);
        Assert.Equal("No case 42 was found.", (await handler.HandleAsync(new SlashCommand("/case", "42", "U1", "C1", null, null, null), CancellationToken.None)).Text);
        var escalate = (await handler.HandleAsync(new SlashCommand("/escalate", "", "U1", "C1", null, null, null), CancellationToken.None)).Text;
        Assert.StartsWith("I couldn't open the escalation form: Slack sent no trigger to open it with.", escalate, StringComparison.Ordinal);
        Assert.Contains("escalate to TEAM", escalate, StringComparison.Ordinal);
    }
}
