using System.Text.Json;
using System.Text.Json.Serialization;

namespace SupportBot.Knowledge.Connectors;

/// <summary>
/// Where a source's syncs stand, kept beside the index as <c>sync-NAME.json</c> in the index folder (so every replica
/// sharing the folder sees it): the high-water mark incremental syncs start from, when the last full listing ran, and,
/// while a run is under way, where it got to, so an interrupted run resumes instead of starting over.
/// </summary>
public sealed record SyncCursor
{
    /// <summary>The latest change the last completed sync saw: the next incremental sync reads from here.</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>When the last completed full listing started.</summary>
    public DateTimeOffset? LastFull { get; init; }

    /// <summary>When the last completed sync started.</summary>
    public DateTimeOffset? LastSync { get; init; }

    /// <summary>When the last completed sync ended.</summary>
    public DateTimeOffset? LastEnded { get; init; }

    /// <summary>The run under way (or interrupted); null between runs.</summary>
    public SyncRun? Run { get; init; }
}

/// <summary>A run under way: full or not, where its listing got to, and (full) the keys it has seen so far.</summary>
public sealed record SyncRun
{
    public bool Full { get; init; }

    public DateTimeOffset Started { get; init; }

    public string? Resume { get; init; }

    public DateTimeOffset? HighWater { get; init; }

    public bool Truncated { get; init; }

    public List<string> Seen { get; init; } = [];
}

/// <summary>Reads and writes cursor files; a write goes to a temporary file renamed over the old one, so it is never half written.</summary>
public static class SyncCursorFile
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static string PathOf(string indexPath, string source) => Path.Combine(indexPath, $"sync-{source.ToLowerInvariant()}.json");

    public static SyncCursor Load(string indexPath, string source)
    {
        var path = PathOf(indexPath, source);
        if (!File.Exists(path))
        {
            return new SyncCursor();
        }

        try
        {
            return JsonSerializer.Deserialize<SyncCursor>(File.ReadAllText(path), Json) ?? new SyncCursor();
        }
        catch (JsonException)
        {
            // A damaged cursor costs one full sync, never the index.
            return new SyncCursor();
        }
    }

    public static void Save(string indexPath, string source, SyncCursor cursor)
    {
        Directory.CreateDirectory(indexPath);
        var path = PathOf(indexPath, source);
        var temporary = $"{path}.{Environment.ProcessId}.tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(cursor, Json));
        File.Move(temporary, path, overwrite: true);
    }
}
