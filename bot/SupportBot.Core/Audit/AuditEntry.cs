namespace SupportBot.Core.Audit;

/// <summary>
/// One audited access to protected data (a case lookup, an erasure): who, what, where, when, and
/// whether it was shown. Nothing here is message text; <see cref="Subject"/> is an id.
/// </summary>
/// <param name="At">When it happened.</param>
/// <param name="Action">What was done: <c>case.lookup</c>, <c>erase</c>, …</param>
/// <param name="Surface">Where: <c>slack</c>, <c>teams</c>, <c>web</c>, <c>cli</c>.</param>
/// <param name="Tenant">The workspace or tenant (may be empty).</param>
/// <param name="UserId">Who asked (platform user id or signed-in subject).</param>
/// <param name="UserName">A display name.</param>
/// <param name="Subject">What it was about (a case id).</param>
/// <param name="Where">The conversation (channel and thread) it was asked in.</param>
/// <param name="Outcome">What happened: <c>shown</c>, <c>shown-privately</c>, <c>refused</c>, <c>not-found</c>, …</param>
public sealed record AuditEntry(
    DateTimeOffset At,
    string Action,
    string Surface,
    string Tenant,
    string UserId,
    string UserName,
    string Subject,
    string Where,
    string Outcome);
