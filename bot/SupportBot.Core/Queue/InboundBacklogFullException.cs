namespace SupportBot.Core.Queue;

/// <summary>
/// The queue holds <see cref="QueueOptions.MaxBacklog"/> messages: a new delivery is not acknowledged (503), so the
/// platform retries it later. Nothing already acknowledged is dropped to make room.
/// </summary>
public sealed class InboundBacklogFullException : Exception
{
    public InboundBacklogFullException()
        : base("The inbound queue is full; try again shortly.")
    {
    }

    public InboundBacklogFullException(string message)
        : base(message)
    {
    }

    public InboundBacklogFullException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
