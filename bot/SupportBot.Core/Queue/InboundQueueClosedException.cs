namespace SupportBot.Core.Queue;

/// <summary>
/// This replica is shutting down and its in-process queue takes no more messages: the delivery is not acknowledged
/// (503), so the platform retries it later, when a replica is serving again.
/// </summary>
public sealed class InboundQueueClosedException : Exception
{
    public InboundQueueClosedException()
        : base("SupportBot is shutting down; try again shortly.")
    {
    }

    public InboundQueueClosedException(string message)
        : base(message)
    {
    }

    public InboundQueueClosedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
