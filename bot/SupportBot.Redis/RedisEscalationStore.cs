using System.Globalization;
using System.Text.Json;
using StackExchange.Redis;
using SupportBot.Core.Conversations;
using Microsoft.Extensions.Options;
using SupportBot.Core.Escalations;
using SupportBot.Core.State;

namespace SupportBot.Redis;

/// <summary>Escalations as JSON values, with indexes from each thread and from the case to the id.</summary>
/// <remarks>
/// An open escalation is kept while it is open; once resolved, its keys expire <c>Retention:Escalations</c> later.
/// A sorted set of ids by opening time lets analytics read a period; its entries are trimmed after
/// <c>Retention:Analytics</c> (as is the whole set, that long after the last save), and an entry whose escalation
/// has expired is skipped.
/// </remarks>
internal sealed class RedisEscalationStore(IConnectionMultiplexer redis, RedisKeys keys, IOptions<RetentionOptions> retention) : IEscalationStore
{
    public async Task<string> NextIdAsync(CancellationToken cancellationToken)
    {
        var next = await redis.GetDatabase().StringIncrementAsync(keys.EscalationSequence).WaitAsync(cancellationToken);
        return "ESC-" + (1000 + next).ToString(CultureInfo.InvariantCulture);
    }

    public async Task<long> NextRotationAsync(string team, CancellationToken cancellationToken) =>
        await redis.GetDatabase().StringIncrementAsync(keys.Rotation(team)).WaitAsync(cancellationToken) - 1;

    public async Task SaveAsync(Escalation escalation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(escalation);
        var db = redis.GetDatabase();
        var writes = new List<Task>
        {
            db.StringSetAsync(keys.Escalation(escalation.Id), JsonSerializer.Serialize(escalation, RedisJson.Default.Escalation)),
            db.StringSetAsync(keys.ThreadEscalation(escalation.Origin.Conversation), escalation.Id),
        };
        if (escalation.Target is { } target)
        {
            writes.Add(db.StringSetAsync(keys.ThreadEscalation(target.Conversation), escalation.Id));
        }

        writes.Add(db.SortedSetAddAsync(keys.EscalationsOpened, escalation.Id, escalation.CreatedAt.ToUnixTimeMilliseconds(), SortedSetWhen.NotExists));
        writes.Add(db.KeyExpireAsync(keys.EscalationsOpened, retention.Value.Analytics));
        writes.Add(db.SortedSetRemoveRangeByScoreAsync(keys.EscalationsOpened, double.NegativeInfinity, (escalation.CreatedAt - retention.Value.Analytics).ToUnixTimeMilliseconds(), Exclude.Stop));
        if (escalation.CaseId is { Length: > 0 } caseId)
        {
            writes.Add(db.SetAddAsync(keys.CaseEscalations(caseId), escalation.Id));
        }

        // Resolved: every key of it expires after the retention; reopened or reassigned: kept again.
        TimeSpan? expiry = escalation.Status == EscalationStatus.Resolved ? retention.Value.Escalations : null;
        List<RedisKey> owned = [keys.Escalation(escalation.Id), keys.ThreadEscalation(escalation.Origin.Conversation)];
        if (escalation.Target is { } thread)
        {
            owned.Add(keys.ThreadEscalation(thread.Conversation));
        }

        writes.AddRange(owned.Select(k => expiry is { } ttl ? db.KeyExpireAsync(k, ttl) : db.KeyPersistAsync(k)));
        if (escalation.CaseId is { Length: > 0 } linkedCase)
        {
            // The case index goes with its resolved escalation (an open one of the same case persists it again on its next change).
            writes.Add(expiry is { } ttl ? db.KeyExpireAsync(keys.CaseEscalations(linkedCase), ttl) : db.KeyPersistAsync(keys.CaseEscalations(linkedCase)));
        }

        await Task.WhenAll(writes).WaitAsync(cancellationToken);
    }

    public async Task<Escalation?> GetAsync(string id, CancellationToken cancellationToken)
    {
        var json = await redis.GetDatabase().StringGetAsync(keys.Escalation(id)).WaitAsync(cancellationToken);
        return json.IsNullOrEmpty ? null : JsonSerializer.Deserialize((string)json!, RedisJson.Default.Escalation);
    }

    public async Task<Escalation?> FindByThreadAsync(ConversationRef thread, CancellationToken cancellationToken)
    {
        var id = await redis.GetDatabase().StringGetAsync(keys.ThreadEscalation(thread)).WaitAsync(cancellationToken);
        return id.IsNullOrEmpty ? null : await GetAsync(id!, cancellationToken);
    }

    public Task ForgetThreadAsync(ConversationRef thread, CancellationToken cancellationToken) =>
        redis.GetDatabase().KeyDeleteAsync(keys.ThreadEscalation(thread)).WaitAsync(cancellationToken);

    public async Task<IReadOnlyList<Escalation>> ListOpenedAsync(DateTimeOffset since, DateTimeOffset until, int limit, CancellationToken cancellationToken)
    {
        var db = redis.GetDatabase();
        var ids = await db.SortedSetRangeByScoreAsync(
            keys.EscalationsOpened, since.ToUnixTimeMilliseconds(), until.ToUnixTimeMilliseconds(), Exclude.Stop, Order.Descending, 0, limit).WaitAsync(cancellationToken);
        if (ids.Length == 0)
        {
            return [];
        }

        // One round trip: the escalations live in their own slots, so a pipeline of GETs rather than one MGET.
        var batch = db.CreateBatch();
        var reads = ids.Select(id => batch.StringGetAsync(keys.Escalation(id!))).ToList();
        batch.Execute();
        var values = await Task.WhenAll(reads).WaitAsync(cancellationToken);
        return [.. values.Where(v => !v.IsNullOrEmpty).Select(v => JsonSerializer.Deserialize((string)v!, RedisJson.Default.Escalation)).OfType<Escalation>()];
    }

    public async Task<IReadOnlyList<Escalation>> FindByCaseAsync(string caseId, CancellationToken cancellationToken)
    {
        var ids = await redis.GetDatabase().SetMembersAsync(keys.CaseEscalations(caseId)).WaitAsync(cancellationToken);
        var found = await Task.WhenAll(ids.Select(id => GetAsync(id!, cancellationToken)));
        return [.. found.OfType<Escalation>().OrderBy(e => e.CreatedAt)];
    }
}
