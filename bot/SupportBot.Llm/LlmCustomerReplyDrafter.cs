using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SupportBot.Core.Answering;
using SupportBot.Core.Languages;
using SupportBot.Llm.Grounding;
using SupportBot.Llm.Prompting;

namespace SupportBot.Llm;

/// <summary>
/// Customer-reply drafts written by the model from the thread and its grounded answer; the templated
/// offline draft when the model fails. The sources of the grounding answer stay with the draft. The draft is
/// written in the asker's language.
/// </summary>
internal sealed partial class LlmCustomerReplyDrafter(
    IChatClient chat,
    IKnowledgeSearch search,
    IOptions<LlmOptions> options,
    ILogger<LlmCustomerReplyDrafter> logger,
    LanguageDetector? languages = null) : ICustomerReplyDrafter
{
    private static readonly ChatOptions Settings = new() { Temperature = 0.3f, MaxOutputTokens = 700 };

    public async Task<CustomerReplyDraft> DraftAsync(CustomerReplyRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.Grounding.Confident)
        {
            return TemplateCustomerReplyDrafter.Draft(request) with { Provider = options.Value.Provider };
        }

        try
        {
            // The asker's language, as the answer it grounds on was told it.
            var language = request.Grounding.Language ?? languages?.TryDetect(request.Question);
            var hits = await search.SearchAsync(new SearchRequest(request.Question, []) { Language = language }, cancellationToken);
            var messages = GroundedPrompt.ForCustomerReply(request, hits, options.Value.MaxPromptTokens, language);
            var response = await chat.GetResponseAsync(messages, Settings, cancellationToken);
            var text = GroundedOutput.Sanitize(response.Text).Trim();
            return text.Length == 0
                ? TemplateCustomerReplyDrafter.Draft(request) with { Fallback = true }
                : new CustomerReplyDraft(text, request.Grounding.Citations, Grounded: true, options.Value.Provider);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            LogFallback(logger, ex.GetType().Name);
            return TemplateCustomerReplyDrafter.Draft(request) with { Fallback = true };
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The model failed ({Error}) drafting a customer reply; used the template instead")]
    private static partial void LogFallback(ILogger logger, string error);
}
