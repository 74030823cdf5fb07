using StackExchange.Redis;
using SupportBot.Core.Conversations;

namespace SupportBot.Redis;

/// <summary>
/// Every key SupportBot writes, in one place. Keys of one conversation share the hash tag
/// <c>{c:…}</c>, so on Redis Cluster they live in one slot and can be written in one transaction.
/// </summary>
internal sealed class RedisKeys(string prefix)
{
    public RedisKey History(ConversationRef conversation) => $"{prefix}:{{c:{conversation.Key}}}:history";

    /// <summary>A thread's context (a Slack assistant thread: the channel beside it), a hash expiring with the history.</summary>
    public RedisKey Context(ConversationRef conversation) => $"{prefix}:{{c:{conversation.Key}}}:context";

    public RedisKey Replies(ConversationRef conversation) => $"{prefix}:{{c:{conversation.Key}}}:replies";

    public RedisKey ReplySeq(ConversationRef conversation) => $"{prefix}:{{c:{conversation.Key}}}:seq";

    public RedisKey Claim(string key) => $"{prefix}:{{claim:{key}}}";

    /// <summary>A message's reply outbox (a field per reply: intended, or where it was posted).</summary>
    public RedisKey Outbox(string message) => $"{prefix}:{{outbox:{message}}}";

    public RedisKey Inbox => $"{prefix}:{{inbox}}:stream";

    /// <summary>A delivery queued within the dedupe window (beside the stream, in its slot, so both are written in one script).</summary>
    public RedisKey InboxSeen(string deliveryKey) => $"{prefix}:{{inbox}}:seen:{deliveryKey}";

    public RedisChannel InboxSignal => RedisChannel.Literal($"{prefix}:inbox:signal");

    public RedisKey Escalation(string id) => $"{prefix}:{{esc:{id}}}";

    public RedisKey EscalationSequence => $"{prefix}:{{escalations}}:seq";

    /// <summary>A team's rotation counter (whose turn is next).</summary>
    public RedisKey Rotation(string team) => $"{prefix}:{{escalations}}:rotation:{team.ToLowerInvariant()}";

    public RedisKey ThreadEscalation(ConversationRef conversation) => $"{prefix}:{{c:{conversation.Key}}}:escalation";

    public RedisKey CaseEscalations(string caseId) => $"{prefix}:{{case:{caseId.Replace('{', '(').Replace('}', ')')}}}:escalations";

    public RedisKey SlaTimers => $"{prefix}:{{sla}}:timers";

    public RedisKey RecentQuestions => $"{prefix}:{{insights}}:recent";

    public RedisKey Gaps => $"{prefix}:{{insights}}:gaps";

    public RedisKey Totals => $"{prefix}:{{insights}}:totals";

    /// <summary>One UTC day's analytics counters (<c>{insights}:day:2026-12-04</c>), beside the totals in their slot.</summary>
    public RedisKey InsightsDay(DateOnly day) => $"{prefix}:{{insights}}:day:{Core.Insights.DailyCounters.Name(day)}";

    /// <summary>Escalation ids by when they were opened (score: Unix milliseconds), for analytics over a period.</summary>
    public RedisKey EscalationsOpened => $"{prefix}:{{escalations}}:opened";

    /// <summary>An answer's record (masked question, sources), for the feedback that names it.</summary>
    public RedisKey Answer(string answerId) => $"{prefix}:{{insights}}:answer:{answerId}";

    /// <summary>The answer a posted platform message carries (Teams' feedback buttons name only the message).</summary>
    public RedisKey AnswerMessage(string surface, string channel, string messageId) => $"{prefix}:{{insights}}:answer-message:{surface}:{channel}:{messageId}";

    /// <summary>One person's vote on one answer: h (helpful), n (not helpful) or r (not helpful, with a reason).</summary>
    public RedisKey Vote(string answerId, string user) => $"{prefix}:{{insights}}:vote:{answerId}:{user}";

    /// <summary>Feedback records, newest first (a reason given later is a newer entry for the same answer and person).</summary>
    public RedisKey Feedback => $"{prefix}:{{insights}}:feedback";

    public RedisKey Audit => $"{prefix}:{{audit}}:entries";

    /// <summary>Draft knowledge articles waiting for review (a hash by id).</summary>
    public RedisKey ArticleDrafts => $"{prefix}:{{articles}}:drafts";

    /// <summary>Past threads kept as knowledge (a hash of documents by id); kept for <c>Knowledge:PastThreads:Retention</c>.</summary>
    public RedisKey PastThreads => $"{prefix}:{{threads}}:docs";

    /// <summary>The same ids scored by when they were resolved or saved, so the oldest can be dropped.</summary>
    public RedisKey PastThreadsByTime => $"{prefix}:{{threads}}:at";

    /// <summary>A settings document saved from an admin page (the channels file).</summary>
    public RedisKey SharedDocument(string name) => $"{prefix}:{{settings}}:{name}";

    /// <summary>A daily counter (answers in a channel today, for its cap).</summary>
    public RedisKey DailyCounter(string name, string day) => $"{prefix}:{{daily}}:{name}:{day}";

    /// <summary>Ops leads' article curation: a field per curated article. Kept until changed (no TTL: it is configuration, not history).</summary>
    public RedisKey Curation => $"{prefix}:{{curation}}:articles";

    /// <summary>Who runs a named job now (a knowledge source's sync): the holder's token, with a TTL it renews.</summary>
    public RedisKey RunLock(string name) => $"{prefix}:{{run:{name}}}:lock";

    public RedisKey ActionSigningKey => $"{prefix}:{{secrets}}:action-signing-key";

    /// <summary>The conversations a user spoke in (conversation keys), for erasure; expires with their history.</summary>
    public RedisKey UserConversations(string userId) => $"{prefix}:{{user:{userId.Replace('{', '(').Replace('}', ')')}}}:conversations";

    /// <summary>The keys of one conversation, for erasure.</summary>
    public RedisKey[] ConversationKeys(string conversationKey) =>
        [$"{prefix}:{{c:{conversationKey}}}:history", $"{prefix}:{{c:{conversationKey}}}:replies", $"{prefix}:{{c:{conversationKey}}}:seq", $"{prefix}:{{c:{conversationKey}}}:escalation", $"{prefix}:{{c:{conversationKey}}}:context"];
}
