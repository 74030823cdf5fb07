using System.ComponentModel.DataAnnotations;

namespace SupportBot.Knowledge;

/// <summary>Settings of the <c>Knowledge</c> section.</summary>
public sealed class KnowledgeOptions
{
    public const string Section = "Knowledge";

    /// <summary>Folder of the on-disk index; empty means a folder under the user's data directory.</summary>
    public string? IndexPath { get; set; }

    /// <summary>Files and folders ingested at start-up when the index is empty; empty means the built-in samples.</summary>
    public IList<string> Sources { get; } = [];

    /// <summary>
    /// Remote sources by name (<c>Knowledge:Connectors:NAME:Type</c> = <c>zendesk</c>, <c>confluence</c> or <c>crawler</c>),
    /// synced on their schedule by the host and on demand by <c>supportbot ingest --source NAME</c>.
    /// </summary>
    public IDictionary<string, Connectors.ConnectorOptions> Connectors { get; } = new Dictionary<string, Connectors.ConnectorOptions>(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Articles whose <c>updated</c> date is older than this are flagged as possibly outdated in answers
    /// and on the dashboard; zero or empty turns the flag off.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "36500.00:00:00")]
    public TimeSpan? StaleAfter { get; set; } = TimeSpan.FromDays(365);

    /// <summary>The built-in sample knowledge base, shipped beside the program.</summary>
    public static string BuiltInSamples => Path.Combine(AppContext.BaseDirectory, "samples", "kb");

    public static string DefaultIndexPath =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "supportbot", "index");

    public string ResolvedIndexPath => string.IsNullOrWhiteSpace(IndexPath) ? DefaultIndexPath : Path.GetFullPath(IndexPath);

    public IReadOnlyList<string> ResolvedSources => Sources.Count == 0 ? [BuiltInSamples] : [.. Sources];
}
