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

    public RedisKey ThreadEscalation(ConversationRef conversation) => $"{prefix}:{{c:{conversation.Key}}}:escalation";

    public RedisKey CaseEscalations(string caseId) => $"{prefix}:{{case:{caseId.Replace('{', '(').Replace('}', ')')}}}:escalations";

    public RedisKey SlaTimers => $"{prefix}:{{sla}}:timers";

    public RedisKey RecentQuestions => $"{prefix}:{{insights}}:recent";

    public RedisKey Gaps => $"{prefix}:{{insights}}:gaps";

    public RedisKey Totals => $"{prefix}:{{insights}}:totals";

    public RedisKey Audit => $"{prefix}:{{audit}}:entries";

    /// <summary>Ops leads' article curation: a field per curated article. Kept until changed (no TTL: it is configuration, not history).</summary>
    public RedisKey Curation => $"{prefix}:{{curation}}:articles";

    public RedisKey ActionSigningKey => $"{prefix}:{{secrets}}:action-signing-key";

    /// <summary>The conversations a user spoke in (conversation keys), for erasure; expires with their history.</summary>
    public RedisKey UserConversations(string userId) => $"{prefix}:{{user:{userId.Replace('{', '(').Replace('}', ')')}}}:conversations";

    /// <summary>The three keys of one conversation, for erasure.</summary>
    public RedisKey[] ConversationKeys(string conversationKey) =>
        [$"{prefix}:{{c:{conversationKey}}}:history", $"{prefix}:{{c:{conversationKey}}}:replies", $"{prefix}:{{c:{conversationKey}}}:seq", $"{prefix}:{{c:{conversationKey}}}:escalation"];
}
