namespace SupportBot.Core.State;

/// <summary>
/// Lets one process at a time run a named job (a knowledge source's sync) across every replica. With Redis the lock
/// is shared; without it, only the runs of this process exclude each other.
/// </summary>
public interface IRunLock
{
    /// <summary>The lease on <paramref name="name"/>, or null when someone else holds it. Dispose the lease to let go.</summary>
    Task<IRunLease?> TryAcquireAsync(string name, CancellationToken cancellationToken);
}

/// <summary>A held lock, kept alive until disposed.</summary>
public interface IRunLease : IAsyncDisposable
{
    /// <summary>Cancelled when the lock was lost (it expired before a renewal): the job should stop, someone else may now run it.</summary>
    CancellationToken Lost { get; }
}
