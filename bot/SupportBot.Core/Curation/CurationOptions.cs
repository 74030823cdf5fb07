namespace SupportBot.Core.Curation;

/// <summary>Settings of the <c>Curation</c> section (docs/configuration.md).</summary>
public sealed class CurationOptions
{
    public const string Section = "Curation";

    /// <summary>
    /// User groups whose members may hide or boost a cited article from chat (Slack user group ids <c>S…</c>; checked
    /// through the platform, like escalation responders). Empty: curation from the dashboard only. A list, or one
    /// comma-separated value.
    /// </summary>
    public IList<string> ChatGroups { get; } = [];
}
