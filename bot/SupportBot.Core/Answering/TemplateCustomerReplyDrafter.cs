using System.Text.RegularExpressions;

namespace SupportBot.Core.Answering;

/// <summary>
/// The offline customer-reply drafter: the grounded answer's sentences in a calm, templated reply.
/// Citation markers are removed from the customer text; the sources stay with the draft for the agent.
/// </summary>
public sealed partial class TemplateCustomerReplyDrafter : ICustomerReplyDrafter
{
    public const string NotGroundedText =
        "I can't draft a grounded reply: the knowledge base doesn't cover this thread's question. " +
        "Check with the owning team (or escalate) before answering the merchant.";

    public Task<CustomerReplyDraft> DraftAsync(CustomerReplyRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Task.FromResult(Draft(request));
    }

    public static CustomerReplyDraft Draft(CustomerReplyRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var grounding = request.Grounding;
        if (!grounding.Confident)
        {
            return new CustomerReplyDraft(NotGroundedText, grounding.Citations, Grounded: false, ExtractiveDrafter.ProviderName);
        }

        var body = Whitespace().Replace(Marker().Replace(grounding.Text, string.Empty), " ").Trim();
        var text =
            "Hi,\n\n" +
            "Thank you for reaching out. " + body + "\n\n" +
            "If anything is unclear or you need more help, just reply to this message.\n\n" +
            "Best regards,\n" + request.AgentName;
        return new CustomerReplyDraft(text, grounding.Citations, Grounded: true, ExtractiveDrafter.ProviderName);
    }

    [GeneratedRegex(@"\s*\[[0-9]+\]", RegexOptions.CultureInvariant)]
    private static partial Regex Marker();

    [GeneratedRegex(@"[ \t]*\n\s*\n[ \t]*|[ \t]{2,}", RegexOptions.CultureInvariant)]
    private static partial Regex Whitespace();
}
