using System.Globalization;
using System.Text;
using Microsoft.Extensions.Options;
using SupportBot.Core.Audit;
using SupportBot.Core.Conversations;
using SupportBot.Core.Escalations;
using SupportBot.Core.Redaction;
using SupportBot.Core.Surfaces;

namespace SupportBot.Core.Cases;

/// <summary>Who asks for a case, and where: what decides whether and how it may be shown.</summary>
/// <param name="Surface">slack, teams, web, cli.</param>
/// <param name="Tenant">The workspace or tenant.</param>
/// <param name="UserId">The asker.</param>
/// <param name="UserName">The asker's display name.</param>
/// <param name="Conversation">Where it was asked.</param>
/// <param name="Scope">Direct when only the asker reads the reply (a DM, a personal chat, an ephemeral slash command answer).</param>
/// <param name="ExternalUser">The asker belongs to another organisation (Slack Connect).</param>
public sealed record CaseRequest(string Surface, string Tenant, string UserId, string UserName, ConversationRef Conversation, ConversationScope Scope, bool ExternalUser)
{
    public static CaseRequest From(InboundMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return new(message.Conversation.Surface, message.Tenant ?? string.Empty, message.UserId, message.UserName, message.Conversation, message.Scope, message.ExternalUser);
    }
}

/// <summary>
/// Looks a case up and renders it for chat: status, priority, assignee, requester, the latest public
/// updates, and the escalations linked to it. Every field is masked before it leaves here. Case data is
/// shown in place only where only the asker reads it, or in a channel listed in <c>Cases:AllowedChannels</c>;
/// elsewhere the reply goes to the asker privately. Users of other organisations see none of it. Every
/// lookup is written to the audit trail.
/// </summary>
public sealed class CaseLookupService(ICaseProvider cases, IEscalationStore escalations, IAuditTrail audit, IOptions<CaseOptions> options, TimeProvider time)
{
    private const int UpdatesShown = 3;
    private const int UpdateLength = 280;

    public const string NotConfiguredText = "Case lookup is not set up here: an administrator sets Cases:File or Cases:Provider.";
    public const string ExternalRefusal = "Case details are not shown to users outside this organisation.";

    public async Task<Reply> LookUpAsync(string id, CaseRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(request);
        var trimmed = id.Trim().TrimStart('#');
        if (trimmed.Length is 0 or > 64 || !trimmed.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            return Reply.Notice("Usage: case ID — for example \"case 12345\".");
        }

        if (request.ExternalUser)
        {
            await AuditAsync(request, trimmed, "refused-external", cancellationToken);
            return Reply.Notice(ExternalRefusal);
        }

        var lookup = await cases.FindAsync(trimmed, cancellationToken);
        var inPlace = request.Scope == ConversationScope.Direct || options.Value.AllowsChannel(request.Conversation);
        var outcome = lookup.Status switch
        {
            CaseLookupStatus.Found => inPlace ? "shown" : "shown-privately",
            CaseLookupStatus.NotFound => "not-found",
            CaseLookupStatus.NotConfigured => "not-configured",
            _ => "unavailable",
        };
        await AuditAsync(request, trimmed, outcome, cancellationToken);
        var reply = lookup.Status switch
        {
            CaseLookupStatus.Found => Render(lookup.Case!, await LinkedAsync(trimmed, cancellationToken)),
            CaseLookupStatus.NotFound => Reply.Notice($"No case {trimmed} was found."),
            CaseLookupStatus.NotConfigured => Reply.Notice(NotConfiguredText),
            _ => Reply.Notice($"Case lookup is unavailable right now: {lookup.Problem}. Try again in a minute."),
        };

        // Even "not found" says which ids exist; only the asker sees any answer outside a direct conversation.
        return inPlace ? reply : reply with { Audience = ReplyAudience.Requester };
    }

    private Task AuditAsync(CaseRequest request, string caseId, string outcome, CancellationToken cancellationToken) =>
        audit.RecordAsync(
            new AuditEntry(
                time.GetUtcNow(),
                "case.lookup",
                request.Surface,
                request.Tenant,
                request.UserId,
                request.UserName,
                caseId,
                $"{request.Conversation.Channel}/{request.Conversation.Thread}",
                outcome),
            cancellationToken);

    private async Task<IReadOnlyList<string>> LinkedAsync(string caseId, CancellationToken cancellationToken)
    {
        var linked = await escalations.FindByCaseAsync(caseId, cancellationToken);
        return [.. linked.Select(e => $"{e.Id} ({e.Team}, {e.Severity.ToString().ToLowerInvariant()}, {e.Status.ToString().ToLowerInvariant()})")];
    }

    internal static Reply Render(SupportCase c, IReadOnlyList<string> linkedEscalations)
    {
        var text = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"Case {c.Id}: {c.Subject}\n")
            .Append(CultureInfo.InvariantCulture, $"Status: {c.Status} · Priority: {c.Priority}")
            .Append(c.Product.Length > 0 ? $" · Product: {c.Product}" : string.Empty)
            .Append(CultureInfo.InvariantCulture, $" · Assignee: {c.Assignee}\n")
            .Append(CultureInfo.InvariantCulture, $"Requester: {c.Requester.Name}{(c.Requester.Email.Length > 0 ? $" ({c.Requester.Email})" : string.Empty)}\n")
            .Append(CultureInfo.InvariantCulture, $"Opened {c.CreatedAt:yyyy-MM-dd HH:mm} UTC · updated {c.UpdatedAt:yyyy-MM-dd HH:mm} UTC");

        var updates = c.Updates.Where(u => u.Public).OrderByDescending(u => u.At).Take(UpdatesShown).ToList();
        if (updates.Count > 0)
        {
            text.Append("\nLatest updates:");
            foreach (var update in updates)
            {
                var body = update.Text.ReplaceLineEndings(" ").Trim();
                body = body.Length > UpdateLength ? string.Concat(body.AsSpan(0, UpdateLength - 1), "…") : body;
                text.Append(CultureInfo.InvariantCulture, $"\n• {update.At:yyyy-MM-dd HH:mm} {update.Author}: {body}");
            }
        }

        text.Append(linkedEscalations.Count > 0 ? $"\nEscalations: {string.Join(", ", linkedEscalations)}" : "\nEscalations: none");
        return new Reply(ReplyKind.Notice, SensitiveDataRedactor.Redact(text.ToString()), [], Confident: true, []);
    }
}
