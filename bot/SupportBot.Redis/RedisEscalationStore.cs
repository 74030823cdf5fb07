using System.Globalization;
using System.Text.Json;
using StackExchange.Redis;
using SupportBot.Core.Conversations;
using SupportBot.Core.Escalations;

namespace SupportBot.Redis;

/// <summary>Escalations as JSON values, with indexes from each thread and from the case to the id.</summary>
internal sealed class RedisEscalationStore(IConnectionMultiplexer redis, RedisKeys keys) : IEscalationStore
{
    public async Task<string> NextIdAsync(CancellationToken cancellationToken)
    {
        var next = await redis.GetDatabase().StringIncrementAsync(keys.EscalationSequence).WaitAsync(cancellationToken);
        return "ESC-" + (1000 + next).ToString(CultureInfo.InvariantCulture);
    }

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

        if (escalation.CaseId is { Length: > 0 } caseId)
        {
            writes.Add(db.SetAddAsync(keys.CaseEscalations(caseId), escalation.Id));
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

    public async Task<IReadOnlyList<Escalation>> FindByCaseAsync(string caseId, CancellationToken cancellationToken)
    {
        var ids = await redis.GetDatabase().SetMembersAsync(keys.CaseEscalations(caseId)).WaitAsync(cancellationToken);
        var found = await Task.WhenAll(ids.Select(id => GetAsync(id!, cancellationToken)));
        return [.. found.OfType<Escalation>().OrderBy(e => e.CreatedAt)];
    }
}
