using System.Text.Json;
using System.Text.RegularExpressions;
using StackExchange.Redis;
using SupportBot.Core.Escalations;
using SupportBot.Core.Insights;
using SupportBot.Core.State;

namespace SupportBot.Redis;

/// <summary>
/// Erasure on request. A user: the conversations they spoke in (history, replies, reply counter, thread
/// index), found through the per-user index, and their dashboard records. A case: its escalations with
/// their thread and case indexes, dashboard records and past threads (kept as knowledge) that mention it. The audit trail is kept: it is
/// the record of who accessed what, and has its own retention.
/// </summary>
internal sealed partial class RedisDataEraser(IConnectionMultiplexer redis, RedisKeys keys, IEscalationStore escalations, SupportBot.Core.PastThreads.IPastThreads pastThreads, SupportBot.Core.Articles.IArticleDrafts drafts) : IDataEraser
{
    public async Task<ErasureReport> EraseUserAsync(string userId, string? displayName, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        var db = redis.GetDatabase();
        var index = keys.UserConversations(userId);
        var conversations = await db.SetMembersAsync(index).WaitAsync(cancellationToken);
        var removedConversations = 0;
        foreach (var conversation in conversations)
        {
            // Each conversation's keys share one slot; deleted one conversation at a time (Cluster-safe).
            if (await db.KeyDeleteAsync(keys.ConversationKeys(conversation!)).WaitAsync(cancellationToken) > 0)
            {
                removedConversations++;
            }
        }

        await db.KeyDeleteAsync(index).WaitAsync(cancellationToken);
        bool Theirs(string user) => user == userId || (displayName is { Length: > 0 } && user == displayName);
        var records = await RemoveRecordsAsync(r => Theirs(r.User), f => Theirs(f.User), cancellationToken);
        return new ErasureReport($"user {userId}", new Dictionary<string, int>
        {
            ["conversations"] = removedConversations,
            ["dashboard records"] = records,
        });
    }

    public async Task<ErasureReport> EraseCaseAsync(string caseId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(caseId);
        var db = redis.GetDatabase();
        var linked = await escalations.FindByCaseAsync(caseId, cancellationToken);
        foreach (var escalation in linked)
        {
            List<RedisKey> owned = [keys.Escalation(escalation.Id), keys.ThreadEscalation(escalation.Origin.Conversation)];
            if (escalation.Target is { } target)
            {
                owned.Add(keys.ThreadEscalation(target.Conversation));
            }

            foreach (var key in owned)
            {
                await db.KeyDeleteAsync(key).WaitAsync(cancellationToken);
            }

            await db.SortedSetRemoveAsync(keys.EscalationsOpened, escalation.Id).WaitAsync(cancellationToken);
        }

        await db.KeyDeleteAsync(keys.CaseEscalations(caseId)).WaitAsync(cancellationToken);
        var mention = new Regex($@"(?<![0-9A-Za-z]){Regex.Escape(caseId)}(?![0-9A-Za-z])", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        var records = await RemoveRecordsAsync(
            r => mention.IsMatch(r.Question) || mention.IsMatch(r.Answer),
            f => mention.IsMatch(f.Question) || (f.Comment is { } comment && mention.IsMatch(comment)),
            cancellationToken);
        var threads = await pastThreads.RemoveWhereAsync(
            t => string.Equals(t.CaseId, caseId, StringComparison.OrdinalIgnoreCase) || mention.IsMatch(t.Title) || mention.IsMatch(t.Text), cancellationToken);

        // Draft articles (approved ones are searched by every replica until they leave the queue): the escalation's own, and any that mention the case.
        var removedDrafts = 0;
        foreach (var draft in await drafts.ListAsync(cancellationToken))
        {
            if ((linked.Any(e => string.Equals(e.Id, draft.Id, StringComparison.OrdinalIgnoreCase)) || mention.IsMatch(draft.Title) || mention.IsMatch(draft.Body))
                && await drafts.DeleteAsync(draft.Id, cancellationToken))
            {
                removedDrafts++;
            }
        }

        return new ErasureReport($"case {caseId}", new Dictionary<string, int>
        {
            ["escalations"] = linked.Count,
            ["past threads"] = threads,
            ["article drafts"] = removedDrafts,
            ["dashboard records"] = records,
        });
    }

    /// <summary>
    /// Removes matching records: from the recent and gaps lists and the feedback list (LREM of each exact value; feedback
    /// on a removed answer goes with it), and the answer records feedback looks up (found by SCAN on every primary).
    /// </summary>
    private async Task<int> RemoveRecordsAsync(Func<QuestionRecord, bool> matches, Func<FeedbackRecord, bool> feedbackMatches, CancellationToken cancellationToken)
    {
        var db = redis.GetDatabase();
        var removed = 0;
        var answers = new HashSet<string>(StringComparer.Ordinal);
        foreach (var list in new[] { keys.RecentQuestions, keys.Gaps })
        {
            foreach (var value in await db.ListRangeAsync(list).WaitAsync(cancellationToken))
            {
                if (JsonSerializer.Deserialize((string)value!, RedisJson.Default.QuestionRecord) is { } record && matches(record))
                {
                    removed += (int)await db.ListRemoveAsync(list, value).WaitAsync(cancellationToken);
                    if (record.AnswerId is { } answerId)
                    {
                        answers.Add(answerId);
                    }
                }
            }
        }

        foreach (var server in redis.GetServers().Where(s => s.IsConnected && !s.IsReplica))
        {
            await foreach (var key in server.KeysAsync(db.Database, keys.Answer("*").ToString()).WithCancellation(cancellationToken))
            {
                var json = await db.StringGetAsync(key).WaitAsync(cancellationToken);
                if (!json.IsNullOrEmpty && JsonSerializer.Deserialize((string)json!, RedisJson.Default.QuestionRecord) is { } record && matches(record))
                {
                    // The lookup copy of a record counted above (or aged out of the lists): deleted, not counted again.
                    answers.Add(record.AnswerId ?? string.Empty);
                    await db.KeyDeleteAsync(key).WaitAsync(cancellationToken);
                }
            }
        }

        foreach (var value in await db.ListRangeAsync(keys.Feedback).WaitAsync(cancellationToken))
        {
            if (JsonSerializer.Deserialize((string)value!, RedisJson.Default.FeedbackRecord) is { } feedback && (feedbackMatches(feedback) || answers.Contains(feedback.AnswerId)))
            {
                removed += (int)await db.ListRemoveAsync(keys.Feedback, value).WaitAsync(cancellationToken);
            }
        }

        return removed;
    }
}
