namespace SupportBot.Core.Configuration;

/// <summary>
/// Which real chat platforms this deployment is connected to. With none, the host is the local
/// default (web chat and samples open, no credentials); with any, it faces real users, so web
/// surfaces need sign-in and built-in sample routes and cases are not used.
/// </summary>
public sealed record PlatformConnections(bool Slack, bool Teams)
{
    public static readonly PlatformConnections None = new(false, false);

    /// <summary>Slack or Teams is configured.</summary>
    public bool Any => Slack || Teams;
}
