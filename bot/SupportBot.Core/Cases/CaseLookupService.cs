using System.Globalization;
using System.Text;
using SupportBot.Core.Escalations;
using SupportBot.Core.Redaction;
using SupportBot.Core.Surfaces;

namespace SupportBot.Core.Cases;

/// <summary>
/// Looks a case up and renders it for chat: status, priority, assignee, requester, the latest
/// updates, and the escalations linked to it. Every field is masked before it leaves here.
/// </summary>
public sealed class CaseLookupService(ICaseProvider cases, IEscalationStore escalations)
{
    private const int UpdatesShown = 3;
    private const int UpdateLength = 280;

    public async Task<Reply> LookUpAsync(string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        var trimmed = id.Trim().TrimStart('#');
        if (trimmed.Length is 0 or > 64 || !trimmed.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            return Reply.Notice("Usage: case ID — for example \"case 12345\".");
        }

        var lookup = await cases.FindAsync(trimmed, cancellationToken);
        return lookup.Status switch
        {
            CaseLookupStatus.Found => Render(lookup.Case!, await LinkedAsync(trimmed, cancellationToken)),
            CaseLookupStatus.NotFound => Reply.Notice($"No case {trimmed} was found."),
            _ => Reply.Notice($"Case lookup is unavailable right now: {lookup.Problem}. Try again in a minute."),
        };
    }

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

        var updates = c.Updates.OrderByDescending(u => u.At).Take(UpdatesShown).ToList();
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
