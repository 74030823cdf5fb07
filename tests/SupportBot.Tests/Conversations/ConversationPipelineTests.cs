using Microsoft.Extensions.DependencyInjection;
using SupportBot.Core.Conversations;
using SupportBot.Core.Insights;
using SupportBot.Core.Queue;
using SupportBot.Core.Surfaces;

namespace SupportBot.Tests.Conversations;

public sealed class ConversationPipelineTests : IDisposable
{
    private readonly PipelineHarness _harness = new();

    [Fact]
    public async Task A_product_question_gets_a_confident_answer_citing_the_right_article()
    {
        var reply = await _harness.AskAsync("t1", "How do I respond to a dispute?");

        Assert.Equal(ReplyKind.Answer, reply.Kind);
        Assert.True(reply.Confident);
        Assert.Contains("[1]", reply.Text, StringComparison.Ordinal);
        Assert.Contains(reply.Citations, c => c.Url.EndsWith("/disputes/responding-to-a-dispute", StringComparison.Ordinal));
        Assert.Contains(reply.Actions, a => a.Id == ActionIds.Helpful);
    }

    [Theory]
    [InlineData("What is the capital of France?")]
    [InlineData("Who won the football world cup in 1998?")]
    public async Task An_off_topic_question_is_declined_plainly(string question)
    {
        var reply = await _harness.AskAsync("t2", question);

        Assert.False(reply.Confident);
        Assert.Contains("escalat", reply.Text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_follow_up_is_answered_from_the_thread_topic()
    {
        await _harness.AskAsync("t3", "Why did a payout fail with account_closed?");
        var followUp = await _harness.AskAsync("t3", "What should I tell the merchant?");

        Assert.Contains(followUp.Citations, c => c.Url.Contains("/payouts/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Help_explains_what_the_bot_does()
    {
        var reply = await _harness.AskAsync("t4", "help");

        Assert.Equal(ReplyKind.Help, reply.Kind);
        Assert.Contains("knowledge base", reply.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Questions_and_feedback_reach_the_dashboard_data()
    {
        await _harness.AskAsync("t5", "How do I respond to a dispute?");
        await _harness.AskAsync("t5", "What is the capital of France?");
        var feedback = PipelineHarness.Message("t5", string.Empty) with { Kind = InboundKind.Action, ActionId = ActionIds.Helpful };
        await _harness.Pipeline.HandleAsync(feedback, default);

        var snapshot = await _harness.Services.GetRequiredService<IInsightsStore>().GetSnapshotAsync(10, default);
        Assert.Equal((2L, 1L, 1L, 1L, 0L), (snapshot.Totals.Questions, snapshot.Totals.Answered, snapshot.Totals.Unanswered, snapshot.Totals.Helpful, snapshot.Totals.NotHelpful));
        Assert.Equal("What is the capital of France?", Assert.Single(snapshot.Gaps).Question);
        Assert.Empty(_harness.Surface.RepliesTo(feedback.Id));

        // A reaction-style vote names no answer: it rates the thread's latest one.
        Assert.Equal("What is the capital of France?", Assert.Single(snapshot.Feedback).Question);
    }

    [Fact]
    public async Task Feedback_names_its_answer_counts_once_per_person_and_keeps_the_reason_and_comment_with_it()
    {
        var answered = await _harness.AskAsync("t7", "How do I respond to a dispute?");
        var answerId = Assert.Single(answered.Actions, a => a.Id == ActionIds.NotHelpful).Value!;
        await _harness.AskAsync("t7", "How do instant payouts work?"); // a later answer in the same thread
        InboundMessage Vote(string id, string action, string? target, string text = "") =>
            PipelineHarness.Message("t7", text) with { Id = id, Kind = InboundKind.Action, ActionId = action, ActionTarget = target };

        await _harness.Pipeline.HandleAsync(Vote("v1", ActionIds.NotHelpful, answerId), default);
        await _harness.Pipeline.HandleAsync(Vote("v2", ActionIds.Helpful, answerId), default); // a change of mind is not a second vote
        await _harness.Pipeline.HandleAsync(Vote("v3", ActionIds.FeedbackReason, FeedbackReasons.Pack(FeedbackReason.Outdated, answerId), "fees changed in May"), default);

        var snapshot = await _harness.Services.GetRequiredService<IInsightsStore>().GetSnapshotAsync(10, default);
        Assert.Equal((0L, 1L), (snapshot.Totals.Helpful, snapshot.Totals.NotHelpful));
        Assert.Equal(1, snapshot.Totals.Reasons!["outdated"]);
        var record = Assert.Single(snapshot.Feedback);
        Assert.Equal((answerId, false, "outdated", "fees changed in May"), (record.AnswerId, record.Helpful, record.Reason, record.Comment));
        Assert.Equal("How do I respond to a dispute?", record.Question);
        Assert.Equal(answered.Citations.Select(c => c.Title), record.Sources);
    }

    [Fact]
    public async Task The_thread_history_holds_both_sides()
    {
        await _harness.AskAsync("t6", "How do instant payouts work?");

        var history = await _harness.Services.GetRequiredService<IConversationStore>().GetHistoryAsync(PipelineHarness.Message("t6", "").Conversation, default);
        Assert.Equal([Speaker.User, Speaker.Bot], history.Select(t => t.Speaker));
    }

    [Fact]
    public async Task A_message_delivered_twice_is_answered_once()
    {
        var worker = _harness.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<InboundWorker>().SingleOrDefault()
            ?? ActivatorUtilities.CreateInstance<InboundWorker>(_harness.Services);
        var message = PipelineHarness.Message("t7", "What does card_velocity_exceeded mean?");

        await worker.HandleAsync(new QueuedMessage(message, "1-0"), default);
        await worker.HandleAsync(new QueuedMessage(message, "1-0", Reclaimed: true), default);

        Assert.Single(_harness.Surface.RepliesTo(message.Id));
    }

    [Fact]
    public async Task A_message_handled_again_after_its_reply_was_posted_is_not_answered_twice()
    {
        // A replica posted the answer and died before the message was done; another takes it over.
        var message = PipelineHarness.Message("t8", "How do instant payouts work?");

        await _harness.Pipeline.HandleAsync(message, default);
        await _harness.Pipeline.HandleAsync(message, default);

        Assert.Single(_harness.Surface.RepliesTo(message.Id));
        Assert.Equal($"{message.Id}#0", Assert.Single(_harness.Surface.Marks));
        var history = await _harness.Services.GetRequiredService<IConversationStore>().GetHistoryAsync(message.Conversation, default);
        Assert.Equal([Speaker.User, Speaker.Bot], history.Select(t => t.Speaker)); // the thread's turns are not doubled either
    }

    [Fact]
    public async Task A_reply_only_intended_when_the_replica_died_is_posted_by_the_one_taking_over()
    {
        var message = PipelineHarness.Message("t9", "How do instant payouts work?");
        var outbox = _harness.Services.GetRequiredService<SupportBot.Core.State.IReplyOutbox>();
        Assert.Null(await outbox.BeginAsync(SupportBot.Core.State.IReplyOutbox.KeyOf(message), 0, default)); // the intent, then the crash

        await _harness.Pipeline.HandleAsync(message, default);

        Assert.Single(_harness.Surface.RepliesTo(message.Id));
    }

    [Fact]
    public async Task Once_a_message_is_done_its_outbox_is_forgotten()
    {
        var worker = _harness.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<InboundWorker>().SingleOrDefault()
            ?? ActivatorUtilities.CreateInstance<InboundWorker>(_harness.Services);
        var message = PipelineHarness.Message("t10", "How do instant payouts work?");
        var outbox = _harness.Services.GetRequiredService<SupportBot.Core.State.IReplyOutbox>();

        await worker.HandleAsync(new QueuedMessage(message, "2-0"), default);

        Assert.Single(_harness.Surface.RepliesTo(message.Id));
        Assert.Null(await outbox.BeginAsync(SupportBot.Core.State.IReplyOutbox.KeyOf(message), 0, default));
    }

    [Fact]
    public async Task A_question_asked_privately_is_answered_to_the_asker_whatever_its_words_and_the_thread_keeps_no_trace()
    {
        // Words that would otherwise be a command (escalate): asked privately about a message, they are a question.
        var message = PipelineHarness.Message("t-private", "escalate: how do I respond to a dispute?") with { Scope = ConversationScope.Channel, AskedPrivately = true };

        await _harness.Pipeline.HandleAsync(message, default);

        var reply = Assert.Single(_harness.Surface.RepliesTo(message.Id));
        Assert.Equal(ReplyKind.Answer, reply.Kind);
        Assert.Equal(ReplyAudience.Requester, reply.Audience);
        Assert.NotEmpty(reply.Citations);
        Assert.Empty(await _harness.Services.GetRequiredService<IConversationStore>().GetHistoryAsync(message.Conversation, default));
    }

    [Fact]
    public void Asked_privately_survives_the_redis_queues_json()
    {
        var message = PipelineHarness.Message("t-json", "How do I respond to a dispute?") with { AskedPrivately = true };

        var json = System.Text.Json.JsonSerializer.Serialize(message, SupportBot.Redis.RedisJson.Default.InboundMessage);
        var back = System.Text.Json.JsonSerializer.Deserialize(json, SupportBot.Redis.RedisJson.Default.InboundMessage)!;

        Assert.True(back.AskedPrivately);
        Assert.False(System.Text.Json.JsonSerializer.Deserialize(System.Text.Json.JsonSerializer.Serialize(message with { AskedPrivately = false }, SupportBot.Redis.RedisJson.Default.InboundMessage), SupportBot.Redis.RedisJson.Default.InboundMessage)!.AskedPrivately);
    }

    public void Dispose() => _harness.Dispose();
}
