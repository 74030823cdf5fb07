using Microsoft.Extensions.AI;

namespace SupportBot.Llm.Middleware;

public static class TimeoutChatClientBuilderExtensions
{
    /// <summary>Adds a <see cref="TimeoutChatClient"/> to the pipeline.</summary>
    public static ChatClientBuilder UseTimeout(this ChatClientBuilder builder, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use(inner => new TimeoutChatClient(inner, timeout));
    }
}
