using System.Collections.Concurrent;
using System.Globalization;
using SupportBot.Core.Conversations;

namespace SupportBot.Core.Escalations;

/// <summary>The embedded default (single process only).</summary>
internal sealed class InMemoryEscalationStore : IEscalationStore
{
    private readonly ConcurrentDictionary<string, Escalation> _byId = new(StringComparer.OrdinalIgnoreCase);
    private long _next = 1000;

    private readonly ConcurrentDictionary<string, long> _rotations = new(StringComparer.OrdinalIgnoreCase);

    public Task<string> NextIdAsync(CancellationToken cancellationToken) =>
        Task.FromResult("ESC-" + Interlocked.Increment(ref _next).ToString(CultureInfo.InvariantCulture));

    public Task<long> NextRotationAsync(string team, CancellationToken cancellationToken) =>
        Task.FromResult(_rotations.AddOrUpdate(team, 0, (_, turn) => turn + 1));

    public Task SaveAsync(Escalation escalation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(escalation);
        _byId[escalation.Id] = escalation;
        return Task.CompletedTask;
    }

    public Task<Escalation?> GetAsync(string id, CancellationToken cancellationToken) => Task.FromResult(_byId.GetValueOrDefault(id));

    public Task<Escalation?> FindByThreadAsync(ConversationRef thread, CancellationToken cancellationToken) =>
        Task.FromResult(_byId.Values.FirstOrDefault(e => e.Origin.Conversation == thread || e.Target?.Conversation == thread));

    // Threads are matched against each escalation's current threads: a thread moved away from is not found.
    public Task ForgetThreadAsync(ConversationRef thread, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<IReadOnlyList<Escalation>> ListOpenedAsync(DateTimeOffset since, DateTimeOffset until, int limit, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<Escalation>>([.. _byId.Values.Where(e => e.CreatedAt >= since && e.CreatedAt < until).OrderByDescending(e => e.CreatedAt).Take(limit)]);

    public Task<IReadOnlyList<Escalation>> FindByCaseAsync(string caseId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<Escalation>>([.. _byId.Values.Where(e => string.Equals(e.CaseId, caseId, StringComparison.OrdinalIgnoreCase)).OrderBy(e => e.CreatedAt)]);
}
