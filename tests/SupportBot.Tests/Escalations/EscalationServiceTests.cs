using System.Collections.Concurrent;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using SupportBot.Core;
using SupportBot.Core.Conversations;
using SupportBot.Core.Escalations;
using SupportBot.Core.Surfaces;

namespace SupportBot.Tests.Escalations;

/// <summary>The escalation flow in one process: real routes, stores and timers; posters that record what reaches each platform.</summary>
public sealed class EscalationServiceTests : IDisposable
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.Parse("2026-11-25T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
    private readonly FakeTimeProvider _time = new(T0);
    private readonly ServiceProvider _services;

    public EscalationServiceTests()
    {
        var configuration = new ConfigurationBuilder().Build();
        _services = new ServiceCollection()
            .AddLogging(b => b.SetMinimumLevel(LogLevel.Warning))
            .AddSingleton<TimeProvider>(_time)
            .AddSingleton<IThreadPoster>(new RecordingPoster("slack"))
            .AddSingleton<IThreadPoster>(new RecordingPoster("teams"))
            .AddSupportBotCore(configuration)
            .BuildServiceProvider();
    }

    private EscalationService Service => _services.GetRequiredService<EscalationService>();

    private EscalationRelay Relay => _services.GetRequiredService<EscalationRelay>();

    private EscalationSla Sla => _services.GetRequiredService<EscalationSla>();

    private RecordingPoster Poster(string name) => _services.GetServices<IThreadPoster>().OfType<RecordingPoster>().Single(p => p.Name == name);

    private static InboundMessage Agent(string text, string thread = "1700000000.100", string channel = "C0AGENTS") =>
        new(Guid.NewGuid().ToString("N"), new ConversationRef("slack", channel, thread), "U1", "ann", text, T0, SurfaceData: new Dictionary<string, string> { ["ts"] = thread });

    /// <summary>A button of the newest team thread on <paramref name="surface"/>, pressed in that thread.</summary>
    private InboundMessage Press(string actionId, string surface = "slack", string userName = "priya")
    {
        var started = Poster(surface).Started.ToArray();
        var (destination, first) = started[^1];
        return new InboundMessage(
            Guid.NewGuid().ToString("N"), new ConversationRef(surface, destination.Channel, $"started-{started.Length}"), "U2", userName, string.Empty, T0,
            InboundKind.Action, actionId, first.Actions.Single(a => a.Id == actionId).Value);
    }

    private static readonly ConversationTurn[] Thread =
    [
        new(Speaker.User, "Merchant got a chargeback on case 12346, evidence due tomorrow", T0),
        new(Speaker.Bot, "Submit evidence before the Respond by date [1].", T0),
    ];

    [Fact]
    public async Task Escalating_to_a_team_on_teams_opens_its_thread_and_confirms_in_the_origin()
    {
        var confirmation = await Service.HandleCommandAsync(Agent("escalate to risk sev2 possible fraud ring"), Thread, new EscalateCommand("risk", Severity.Sev2, "possible fraud ring"), default);

        var (destination, first) = Assert.Single(Poster("teams").Started);
        Assert.Equal("19:risk-escalations@thread.tacv2", destination.Channel);
        Assert.StartsWith("ESC-1001 · sev2 · escalated to Risk & Fraud by ann", first.Text, StringComparison.Ordinal);
        Assert.Contains("Problem: Merchant got a chargeback on case 12346", first.Text, StringComparison.Ordinal);
        Assert.Contains("Ask: possible fraud ring", first.Text, StringComparison.Ordinal);
        Assert.Contains("Case 12346: Dispute dp_88aa", first.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("4242 4242 4242 4242", first.Text, StringComparison.Ordinal);
        Assert.Contains("Origin thread: https://slack.example/C0AGENTS/1700000000.100", first.Text, StringComparison.Ordinal);
        Assert.Equal(["escalation.take", "escalation.acknowledge", "escalation.resolve", "escalation.reassign"], first.Actions.Select(a => a.Id));
        Assert.All(first.Actions, a => Assert.StartsWith("ESC-1001~", a.Value, StringComparison.Ordinal));
        Assert.StartsWith("Escalated to Risk & Fraud as ESC-1001 (sev2). Their thread: https://teams.example/", confirmation.Text, StringComparison.Ordinal);
        Assert.Empty(Poster("slack").Started);
    }

    [Fact]
    public async Task Without_a_team_it_suggests_one_to_confirm()
    {
        var reply = await Service.HandleCommandAsync(Agent("escalate"), Thread, new EscalateCommand(null, null, null), default);

        Assert.Contains("one for Disputes (disputes), sev3", reply.Text, StringComparison.Ordinal);
        var confirm = Assert.Single(reply.Actions);
        Assert.Equal(ActionIds.EscalationConfirm, confirm.Id);

        var pressed = Agent(string.Empty) with { Kind = InboundKind.Action, ActionId = confirm.Id, ActionTarget = confirm.Value };
        var confirmation = await Service.HandleActionAsync(pressed, Thread, default);

        Assert.StartsWith("Escalated to Disputes as ESC-1001", confirmation!.Text, StringComparison.Ordinal);
        Assert.Equal("C0DISPUTES", Assert.Single(Poster("slack").Started).Destination.Channel);
    }

    [Fact]
    public async Task Without_a_team_the_suggestion_also_carries_the_prefilled_form()
    {
        var reply = await Service.HandleCommandAsync(Agent("escalate sev2"), Thread, new EscalateCommand(null, Severity.Sev2, null), default);

        var form = reply.Form!;
        Assert.Equal(new EscalationFormValues("disputes", "sev2", "12346", "Merchant got a chargeback on case 12346, evidence due tomorrow"), form.Values);
        Assert.Equal("disputes", form.SuggestedTeam);
        Assert.Contains("one for Disputes (disputes), sev2", reply.Text, StringComparison.Ordinal);
    }

    private static InboundMessage Submission(EscalationFormValues values, string thread = "1700000000.100") =>
        Agent(values.Summary ?? string.Empty, thread) with { Kind = InboundKind.Action, ActionId = ActionIds.EscalationSubmit, ActionTarget = values.PackTarget(), UserName = "ann" };

    [Fact]
    public async Task A_form_submitted_in_a_thread_escalates_it_with_the_agents_summary()
    {
        var reply = await Service.HandleActionAsync(Submission(new("risk", "sev1", "12346", "Hundreds of $1 authorizations in ten minutes")), Thread, default);

        Assert.StartsWith("Escalated to Risk & Fraud as ESC-1001 (sev1).", reply!.Text, StringComparison.Ordinal);
        var first = Assert.Single(Poster("teams").Started).First.Text;
        Assert.StartsWith("ESC-1001 · sev1 · escalated to Risk & Fraud by ann", first, StringComparison.Ordinal);
        Assert.Contains("Problem: Hundreds of $1 authorizations in ten minutes\nTried: knowledge-base answer: Submit evidence", first, StringComparison.Ordinal);
        Assert.Contains("Case: 12346", first, StringComparison.Ordinal);
        Assert.Contains("Case 12346: Dispute dp_88aa", first, StringComparison.Ordinal);
        Assert.Empty(Poster("slack").Started);

        var again = await Service.HandleActionAsync(Submission(new("disputes", "sev3", null, "again")), Thread, default);
        Assert.Equal("This thread is already escalated as ESC-1001 (risk, open).", again!.Text);
    }

    [Fact]
    public async Task A_form_submitted_outside_any_thread_opens_the_requesters_thread_first()
    {
        var reply = await Service.HandleActionAsync(Submission(new("disputes", "sev2", null, "Evidence for dp_88aa is due today"), thread: string.Empty), [], default);

        Assert.Null(reply);
        var slack = Poster("slack");
        var started = slack.Started.ToList();
        Assert.Equal(2, started.Count);
        Assert.Equal(("C0AGENTS", "ann is escalating to Disputes (sev2):\nEvidence for dp_88aa is due today"), (started[0].Destination.Channel, started[0].First.Text));
        Assert.Equal("C0DISPUTES", started[1].Destination.Channel);
        Assert.Contains("Origin thread: https://slack.example/C0AGENTS/started-1", started[1].First.Text, StringComparison.Ordinal);
        var (thread, confirmation) = Assert.Single(slack.Posts);
        Assert.Equal(new ConversationRef("slack", "C0AGENTS", "started-1"), thread.Conversation);
        Assert.StartsWith("Escalated to Disputes as ESC-1001 (sev2).", confirmation.Text, StringComparison.Ordinal);

        var stored = await _services.GetRequiredService<IEscalationStore>().GetAsync("ESC-1001", default);
        Assert.Equal(("ann", "started-1", "started-2"), (stored!.Requester, stored.Origin.Conversation.Thread, stored.Target!.Conversation.Thread));
    }

    [Fact]
    public async Task When_the_teams_thread_cannot_be_opened_the_requester_is_told_in_their_thread()
    {
        Poster("slack").Refusing.Add("C0DISPUTES");

        var reply = await Service.HandleActionAsync(Submission(new("disputes", "sev2", null, "Evidence due today"), thread: string.Empty), [], default);

        Assert.Null(reply);
        var (thread, notice) = Assert.Single(Poster("slack").Posts);
        Assert.Equal("started-1", thread.Conversation.Thread);
        Assert.Equal("I couldn't open a thread for Disputes, so nothing was escalated. Try again in a minute, or reach Disputes directly.", notice.Text);
        Assert.Null(await _services.GetRequiredService<IEscalationStore>().FindByThreadAsync(thread.Conversation, default));
    }

    [Fact]
    public async Task A_refused_form_comes_back_with_what_is_wrong()
    {
        var reply = await Service.HandleActionAsync(Submission(new("legal", "sev3", "12ab", "help")), Thread, default);

        Assert.Equal("Not escalated yet: There is no team 'legal'. Pick one from the list. A case id is digits only (at most 12), e.g. 12345.", reply!.Text);
        Assert.Equal(new EscalationFormValues("legal", "sev3", "12ab", "help"), reply.Form!.Values);
        Assert.Equal([EscalationFormField.Team, EscalationFormField.CaseId], reply.Form.Errors.Keys.Order());
        Assert.Empty(Poster("slack").Started);
        Assert.Empty(Poster("teams").Started);
    }

    [Fact]
    public async Task Acknowledge_and_resolve_are_posted_in_both_threads()
    {
        await Service.HandleCommandAsync(Agent("escalate to disputes"), Thread, new EscalateCommand("disputes", null, null), default);
        var slack = Poster("slack");
        slack.Posts.Clear();

        var ack = Press(ActionIds.EscalationAcknowledge);
        Assert.Null(await Service.HandleActionAsync(ack, [], default));
        Assert.Equal("ESC-1001 is already acknowledged.", (await Service.HandleActionAsync(ack, [], default))!.Text);
        _time.Advance(TimeSpan.FromHours(1));
        Assert.Null(await Service.HandleActionAsync(ack with { ActionId = ActionIds.EscalationResolve }, [], default));

        var posted = slack.Posts.Select(p => (p.Thread.Conversation.Thread, p.Reply.Text)).ToList();
        Assert.Equal(
            [
                ("started-1", "ESC-1001 acknowledged by priya at 10:00 UTC."),
                ("1700000000.100", "ESC-1001 acknowledged by priya at 10:00 UTC."),
                ("started-1", "ESC-1001 resolved by priya at 11:00 UTC."),
                ("1700000000.100", "ESC-1001 resolved by priya at 11:00 UTC."),
            ],
            posted.Take(4));
        var stored = await _services.GetRequiredService<IEscalationStore>().GetAsync("ESC-1001", default);
        Assert.Equal(EscalationStatus.Resolved, stored!.Status);

        // Then the requester's thread is told the outcome and asked to rate, with five signed buttons.
        var (thread, text) = posted[4];
        Assert.Equal("1700000000.100", thread);
        Assert.StartsWith("ESC-1001 is resolved. Outcome: no notes in the team's thread.", text, StringComparison.Ordinal);
        Assert.Equal(
            ["escalation.rate.1", "escalation.rate.2", "escalation.rate.3", "escalation.rate.4", "escalation.rate.5"],
            slack.Posts[4].Reply.Actions.Select(a => a.Id));

        // And it is kept as knowledge: a past thread under the escalation's id, linked to the team's thread.
        var kept = await _services.GetRequiredService<SupportBot.Core.PastThreads.IPastThreads>().GetAsync("ESC-1001", default);
        Assert.NotNull(kept);
        Assert.Equal(SupportBot.Core.PastThreads.PastThreadKind.Escalation, kept.Kind);
        Assert.Equal("disputes", kept.Team);
        Assert.StartsWith("ESC-1001: ", kept.Title, StringComparison.Ordinal);
        Assert.Contains("Outcome: no notes in the team's thread.", kept.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replies_in_either_thread_reach_the_other_and_the_team_thread_is_not_answered()
    {
        await Service.HandleCommandAsync(Agent("escalate to disputes"), Thread, new EscalateCommand("disputes", null, null), default);
        var slack = Poster("slack");
        slack.Posts.Clear();

        var fromTeam = await Relay.RelayAsync(Agent("Can you send the tracking number? Card 4242424242424242", "started-1", "C0DISPUTES") with { UserName = "priya" }, default);
        var fromAgent = await Relay.RelayAsync(Agent("Tracking is 1Z999AA10123456784"), default);

        Assert.True(fromTeam);
        Assert.False(fromAgent);
        Assert.Equal(
            [
                ("1700000000.100", "priya (disputes): Can you send the tracking number? Card [card ••••4242]"),
                ("started-1", "ann (the requester's thread): Tracking is 1Z999AA10123456784"),
            ],
            slack.Posts.Select(p => (p.Thread.Conversation.Thread, p.Reply.Text)));
    }

    [Fact]
    public async Task Relaying_can_be_switched_off_and_on_per_escalation()
    {
        await Service.HandleCommandAsync(Agent("escalate to disputes"), Thread, new EscalateCommand("disputes", null, null), default);
        var slack = Poster("slack");
        slack.Posts.Clear();

        var off = await Relay.SetRelayAsync(Agent("relay off", "started-1", "C0DISPUTES"), on: false, default);
        await Relay.RelayAsync(Agent("internal note: checking logs", "started-1", "C0DISPUTES"), default);
        Assert.StartsWith("Replies are no longer relayed between the threads of ESC-1001", off.Text, StringComparison.Ordinal);
        Assert.Empty(slack.Posts);

        await Relay.SetRelayAsync(Agent("relay on"), on: true, default);
        await Relay.RelayAsync(Agent("found it", "started-1", "C0DISPUTES") with { UserName = "priya" }, default);
        Assert.Equal("priya (disputes): found it", Assert.Single(slack.Posts).Reply.Text);
        Assert.Equal(IntentKind.Relay, IntentClassifier.Classify("relay off"));
    }

    [Fact]
    public async Task Reassigning_opens_a_thread_for_the_new_team_and_restarts_the_sla()
    {
        await Service.HandleCommandAsync(Agent("escalate to disputes"), Thread, new EscalateCommand("disputes", null, null), default);

        var reply = await Service.ReassignAsync(Agent("reassign to risk", "started-1", "C0DISPUTES") with { UserName = "priya" }, "risk", default);

        Assert.StartsWith("Reassigned to Risk & Fraud.", reply.Text, StringComparison.Ordinal);
        Assert.Single(Poster("teams").Started);
        var stored = await _services.GetRequiredService<IEscalationStore>().GetAsync("ESC-1001", default);
        Assert.Equal(("risk", EscalationStatus.Open), (stored!.Team, stored.Status));
    }

    [Fact]
    public async Task Sla_reminders_fire_once_before_the_deadline_then_the_breach_is_noted()
    {
        await Service.HandleCommandAsync(Agent("escalate to disputes"), Thread, new EscalateCommand("disputes", null, null), default);
        var slack = Poster("slack");
        slack.Posts.Clear();
        var timers = _services.GetRequiredService<ISlaTimers>();

        async Task FireDueAsync()
        {
            foreach (var timer in await timers.TakeDueAsync(_time.GetUtcNow(), 50, default))
            {
                await Sla.FireAsync(timer, default);
            }
        }

        _time.Advance(TimeSpan.FromMinutes(23));
        await FireDueAsync();
        Assert.Empty(slack.Posts);
        _time.Advance(TimeSpan.FromMinutes(2));
        await FireDueAsync();
        await FireDueAsync();
        Assert.Equal("Reminder: ESC-1001 (sev3) needs acknowledgement soon — SLA ends 10:30 UTC.", Assert.Single(slack.Posts).Reply.Text);
        _time.Advance(TimeSpan.FromMinutes(6));
        await FireDueAsync();
        Assert.Equal(3, slack.Posts.Count);
        Assert.All(slack.Posts.Skip(1), p => Assert.StartsWith("SLA breached: ESC-1001", p.Reply.Text, StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_acknowledged_escalation_gets_no_acknowledgement_reminder()
    {
        await Service.HandleCommandAsync(Agent("escalate to disputes"), Thread, new EscalateCommand("disputes", null, null), default);
        await Service.HandleActionAsync(Press(ActionIds.EscalationAcknowledge), [], default);
        var slack = Poster("slack");
        slack.Posts.Clear();

        _time.Advance(TimeSpan.FromMinutes(31));
        foreach (var timer in await _services.GetRequiredService<ISlaTimers>().TakeDueAsync(_time.GetUtcNow(), 50, default))
        {
            await Sla.FireAsync(timer, default);
        }

        Assert.Empty(slack.Posts);
    }

    [Theory]
    [InlineData("escalate", null, null, null)]
    [InlineData("escalate to disputes", "disputes", null, null)]
    [InlineData("Escalate to risk sev1 card testing attack now", "risk", Severity.Sev1, "card testing attack now")]
    [InlineData("escalate sev2: merchant blocked", null, Severity.Sev2, "merchant blocked")]
    [InlineData("escalate merchant is furious", null, null, "merchant is furious")]
    public void The_escalate_command_is_parsed(string text, string? team, Severity? severity, string? reason)
    {
        Assert.True(EscalateCommand.TryParse(text, out var command));
        Assert.Equal(new EscalateCommand(team, severity, reason), command);
    }

    [Fact]
    public void Escalation_words_inside_a_question_are_not_a_command()
    {
        Assert.False(EscalateCommand.TryParse("when should I escalate a dispute?", out _));
        Assert.Equal(IntentKind.Question, IntentClassifier.Classify("when should I escalate a dispute?"));
        Assert.Equal(IntentKind.Reassign, IntentClassifier.Classify("reassign to risk"));
    }

    public void Dispose() => _services.Dispose();

    [Fact]
    public async Task A_forged_or_altered_button_value_is_refused_privately()
    {
        await Service.HandleCommandAsync(Agent("escalate to disputes"), Thread, new EscalateCommand("disputes", null, null), default);
        var genuine = Press(ActionIds.EscalationResolve);

        foreach (var forged in new[] { "ESC-1001", "ESC-1001~AAAAAAAAAAAAAAAAAAAAAA", genuine.ActionTarget!.Replace("ESC-1001", "ESC-1002", StringComparison.Ordinal) })
        {
            var refused = await Service.HandleActionAsync(genuine with { ActionTarget = forged }, [], default);
            Assert.Equal(ReplyAudience.Requester, refused!.Audience);
        }

        var stored = await _services.GetRequiredService<IEscalationStore>().GetAsync("ESC-1001", default);
        Assert.Equal(EscalationStatus.Open, stored!.Status);
    }

    [Fact]
    public async Task A_status_button_pressed_outside_its_team_thread_is_refused()
    {
        await Service.HandleCommandAsync(Agent("escalate to disputes"), Thread, new EscalateCommand("disputes", null, null), default);
        var elsewhere = Press(ActionIds.EscalationAcknowledge) with { Conversation = new ConversationRef("slack", "C0ELSEWHERE", "1700000000.999") };

        var refused = await Service.HandleActionAsync(elsewhere, [], default);

        Assert.Equal(ReplyAudience.Requester, refused!.Audience);
        Assert.Equal(EscalationStatus.Open, (await _services.GetRequiredService<IEscalationStore>().GetAsync("ESC-1001", default))!.Status);
    }

    [Fact]
    public async Task After_a_reassign_the_old_threads_buttons_are_refused_with_a_pointer_to_the_new_thread()
    {
        await Service.HandleCommandAsync(Agent("escalate to disputes"), Thread, new EscalateCommand("disputes", null, null), default);
        var oldButton = Press(ActionIds.EscalationAcknowledge);
        await Service.ReassignAsync(Agent("reassign to risk", "started-1", "C0DISPUTES") with { UserName = "priya" }, "risk", default);

        var refused = await Service.HandleActionAsync(oldButton, [], default);

        Assert.Equal(ReplyAudience.Requester, refused!.Audience);
        Assert.Contains("it is with risk now", refused.Text, StringComparison.Ordinal);
        Assert.Contains("https://teams.example/", refused.Text, StringComparison.Ordinal);
        Assert.Null(await _services.GetRequiredService<IEscalationStore>().FindByThreadAsync(oldButton.Conversation, default));

        // The new thread's buttons work.
        Assert.Null(await Service.HandleActionAsync(Press(ActionIds.EscalationAcknowledge, "teams"), [], default));
    }

    [Fact]
    public async Task A_confirm_button_works_only_in_the_thread_it_was_offered_in()
    {
        var reply = await Service.HandleCommandAsync(Agent("escalate"), Thread, new EscalateCommand(null, null, null), default);
        var confirm = Assert.Single(reply.Actions);

        var replayed = Agent(string.Empty, "1700000000.555") with { Kind = InboundKind.Action, ActionId = confirm.Id, ActionTarget = confirm.Value };
        var refused = await Service.HandleActionAsync(replayed, Thread, default);

        Assert.Equal(ReplyAudience.Requester, refused!.Audience);
        Assert.Empty(Poster("slack").Started);
    }

    private sealed class RecordingPoster(string name) : IThreadPoster
    {
        private int _threads;

        public string Name => name;

        public ConcurrentQueue<(RouteDestination Destination, Reply First)> Started { get; } = new();

        public List<(ThreadAddress Thread, Reply Reply)> Posts { get; } = [];

        /// <summary>Channels where starting a thread fails, as when the bot is not in them.</summary>
        public HashSet<string> Refusing { get; } = [];

        public Task<ThreadAddress> StartThreadAsync(RouteDestination destination, Reply first, CancellationToken cancellationToken)
        {
            if (Refusing.Contains(destination.Channel))
            {
                throw new InvalidOperationException("not_in_channel");
            }

            Started.Enqueue((destination, first));
            var id = $"started-{Interlocked.Increment(ref _threads)}";
            return Task.FromResult(new ThreadAddress(new ConversationRef(name, destination.Channel, id), new Dictionary<string, string>(), $"https://{name}.example/{destination.Channel}/{id}"));
        }

        public Task PostAsync(ThreadAddress thread, Reply reply, CancellationToken cancellationToken)
        {
            lock (Posts)
            {
                Posts.Add((thread, reply));
            }

            return Task.CompletedTask;
        }

        public Task<string?> LinkAsync(ThreadAddress thread, CancellationToken cancellationToken) =>
            Task.FromResult<string?>($"https://{name}.example/{thread.Conversation.Channel}/{thread.Conversation.Thread}");
    }
}
