using System.ComponentModel.DataAnnotations;
using SupportBot.Core.Languages;

namespace SupportBot.Knowledge;

/// <summary>Settings of the <c>Knowledge</c> section.</summary>
public sealed class KnowledgeOptions : IValidatableObject
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

    /// <summary>
    /// Languages analysed with their own analyzer and recognised in questions (<c>en</c>, <c>de</c>, <c>fr</c>,
    /// <c>es</c>, <c>ja</c>); empty means all of them. Text in another language is treated as <see cref="DefaultLanguage"/>.
    /// </summary>
    public IList<string> Languages { get; } = [];

    /// <summary>The language of questions and articles too short or mixed to tell, and of articles in a language not enabled.</summary>
    public string DefaultLanguage { get; set; } = KnownLanguages.English;

    /// <summary>The built-in sample knowledge base, shipped beside the program.</summary>
    public static string BuiltInSamples => Path.Combine(AppContext.BaseDirectory, "samples", "kb");

    public static string DefaultIndexPath =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "supportbot", "index");

    public string ResolvedIndexPath => string.IsNullOrWhiteSpace(IndexPath) ? DefaultIndexPath : Path.GetFullPath(IndexPath);

    public IReadOnlyList<string> ResolvedSources => Sources.Count == 0 ? [BuiltInSamples] : [.. Sources];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var known = string.Join(", ", KnownLanguages.All);
        if (KnownLanguages.Normalize(DefaultLanguage) is null)
        {
            yield return new ValidationResult($"'{DefaultLanguage}' is not a language the index analyses ({known})", [nameof(DefaultLanguage)]);
        }

        foreach (var language in Languages.Where(l => KnownLanguages.Normalize(l) is null))
        {
            yield return new ValidationResult($"'{language}' is not a language the index analyses ({known})", [nameof(Languages)]);
        }
    }
}
