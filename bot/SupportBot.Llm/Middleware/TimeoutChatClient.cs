using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using SupportBot.Core;

namespace SupportBot.Llm.Middleware;

/// <summary>
/// Bounds every model call: past <c>timeout</c> the call is cancelled and a <see cref="TimeoutException"/>
/// raised, so the caller can fall back instead of keeping an agent waiting on a hung server.
/// </summary>
public sealed class TimeoutChatClient(IChatClient inner, TimeSpan timeout, TimeProvider time) : DelegatingChatClient(inner)
{
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        using var bounded = new Deadline(timeout, time, cancellationToken);
        try
        {
            return await base.GetResponseAsync(messages, options, bounded.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"The model did not answer within {timeout.TotalSeconds:0.#} s.");
        }
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var bounded = new Deadline(timeout, time, cancellationToken);
        await using var updates = base.GetStreamingResponseAsync(messages, options, bounded.Token).GetAsyncEnumerator(bounded.Token);
        while (true)
        {
            ChatResponseUpdate update;
            try
            {
                if (!await updates.MoveNextAsync())
                {
                    yield break;
                }

                update = updates.Current;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"The model did not finish within {timeout.TotalSeconds:0.#} s.");
            }

            yield return update;
        }
    }
}
