using Microsoft.Extensions.Options;
using SupportBot.Core.Conversations;

namespace SupportBot.Core.Answering;

/// <summary>
/// Search, then draft: the one path every surface (chat, Slack, Teams, the CLI) uses to answer
/// a question, so follow-ups resolve the same way everywhere.
/// </summary>
public sealed class AnswerService(IKnowledgeSearch search, IAnswerDrafter drafter, IOptions<AnsweringOptions> options)
{
    /// <summary>True when answers grow while drafted, so surfaces can show them in place.</summary>
    public bool Streams => drafter.Streams;

    public async Task<Answer> AnswerAsync(AnswerRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var context = request.History
            .Where(t => t.Speaker == Speaker.User)
            .Select(t => t.Text)
            .TakeLast(options.Value.ContextTurns)
            .ToList();

        var hits = await search.SearchAsync(new SearchRequest(request.Question, context, options.Value.Passages), cancellationToken);
        return await drafter.DraftAsync(request, hits, cancellationToken);
    }
}
