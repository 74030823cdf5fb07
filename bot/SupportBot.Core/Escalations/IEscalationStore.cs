using SupportBot.Core.Conversations;

namespace SupportBot.Core.Escalations;

/// <summary>Escalations shared by every replica, findable by id, by either of their threads and by case.</summary>
public interface IEscalationStore
{
    /// <summary>A new, unique, human-friendly id (ESC-1042).</summary>
    Task<string> NextIdAsync(CancellationToken cancellationToken);

    /// <summary>The next turn of <paramref name="team"/>'s rotation (0, 1, 2, … shared by every replica).</summary>
    Task<long> NextRotationAsync(string team, CancellationToken cancellationToken);

    Task SaveAsync(Escalation escalation, CancellationToken cancellationToken);

    Task<Escalation?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>The escalation whose origin or team thread this is.</summary>
    Task<Escalation?> FindByThreadAsync(ConversationRef thread, CancellationToken cancellationToken);

    Task<IReadOnlyList<Escalation>> FindByCaseAsync(string caseId, CancellationToken cancellationToken);

    /// <summary>
    /// Escalations opened from <paramref name="since"/> (inclusive) until <paramref name="until"/> (exclusive), newest first,
    /// at most <paramref name="limit"/>: what analytics reads for a period.
    /// </summary>
    Task<IReadOnlyList<Escalation>> ListOpenedAsync(DateTimeOffset since, DateTimeOffset until, int limit, CancellationToken cancellationToken);

    /// <summary>The thread is no longer the escalation's (it was reassigned away): drop its index.</summary>
    Task ForgetThreadAsync(ConversationRef thread, CancellationToken cancellationToken);
}
