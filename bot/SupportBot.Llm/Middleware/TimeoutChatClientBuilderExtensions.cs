using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace SupportBot.Llm.Middleware;

public static class TimeoutChatClientBuilderExtensions
{
    /// <summary>Adds a <see cref="TimeoutChatClient"/> to the pipeline.</summary>
    public static ChatClientBuilder UseTimeout(this ChatClientBuilder builder, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use((inner, services) => new TimeoutChatClient(inner, timeout, services.GetService<TimeProvider>() ?? TimeProvider.System));
    }
}
