using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace SupportBot.Core.Channels;

/// <summary>A channels file that cannot be used, with the reason (line, channel and key where known).</summary>
public sealed class ChannelsFileException(string message) : Exception(message);

/// <summary>
/// The channels file: <c>defaults</c> for channels not listed, and <c>channels</c> keyed by surface-qualified id
/// (<c>slack:C0123ABCD</c>, <c>teams:19:…@thread.tacv2</c>). Unknown keys are refused: a typo must not silently
/// turn a setting off.
/// </summary>
/// <example>
/// <code>
/// defaults:
///   mode: mention
/// channels:
///   slack:C0123ABCD:
///     name: payments-support
///     mode: answer
///     areas: [payments, disputes]
///     private: true
///     allowedGroups: [S0SUPPORT]
///     unansweredTag: S0PAYOPS
///     dailyCap: 500
/// </code>
/// </example>
public sealed class ChannelsFile
{
    private readonly Dictionary<string, ChannelPolicy> _channels;

    private ChannelsFile(ChannelPolicy defaults, Dictionary<string, ChannelPolicy> channels)
    {
        Defaults = defaults;
        _channels = channels;
    }

    /// <summary>No file: every channel gets <see cref="ChannelPolicy.Default"/>.</summary>
    public static ChannelsFile Empty { get; } = new(ChannelPolicy.Default, new(StringComparer.Ordinal));

    public ChannelPolicy Defaults { get; }

    public IReadOnlyCollection<ChannelPolicy> Channels => _channels.Values;

    /// <summary>The policy of <paramref name="channelId"/> (<c>surface:channel</c>), or the defaults.</summary>
    public ChannelPolicy For(string channelId) => _channels.TryGetValue(channelId, out var policy) ? policy : Defaults;

    public static ChannelsFile Load(string path)
    {
        try
        {
            return Parse(System.IO.File.ReadAllText(path));
        }
        catch (IOException ex)
        {
            throw new ChannelsFileException($"cannot read '{path}' ({ex.Message})");
        }
    }

    public static ChannelsFile Parse(string yaml)
    {
        Document document;
        try
        {
            document = Deserializer.Deserialize<Document?>(yaml) ?? new Document();
        }
        catch (YamlException ex)
        {
            throw new ChannelsFileException($"line {ex.Start.Line}: {(ex.InnerException ?? ex).Message}");
        }

        var defaults = Policy(string.Empty, document.Defaults ?? new Entry(), ChannelPolicy.Default, "defaults");
        var channels = new Dictionary<string, ChannelPolicy>(StringComparer.Ordinal);
        foreach (var (id, entry) in document.Channels ?? [])
        {
            var key = id.Trim();
            var colon = key.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || colon == key.Length - 1 || key[..colon] is not ("slack" or "teams" or "web"))
            {
                throw new ChannelsFileException($"channel '{id}': name it with its surface, e.g. slack:C0123ABCD or teams:19:…@thread.tacv2");
            }

            channels[key] = Policy(key, entry ?? new Entry(), defaults, $"channel '{key}'");
        }

        return new ChannelsFile(defaults, channels);
    }

    /// <summary>An entry over its base: what the entry leaves out comes from the defaults.</summary>
    private static ChannelPolicy Policy(string id, Entry entry, ChannelPolicy fallback, string where)
    {
        var mode = fallback.Mode;
        if (entry.Mode is { } named)
        {
            mode = named.Trim().ToLowerInvariant() switch
            {
                "mention" => ChannelMode.Mention,
                "answer" => ChannelMode.Answer,
                "off" => ChannelMode.Off,
                _ => throw new ChannelsFileException($"{where}: mode '{named}' is not one of mention, answer, off"),
            };
        }

        if (entry.DailyCap is < 1)
        {
            throw new ChannelsFileException($"{where}: dailyCap must be at least 1 (is {entry.DailyCap.Value.ToString(CultureInfo.InvariantCulture)}); leave it out for no cap");
        }

        var tag = entry.UnansweredTag?.Trim() ?? fallback.UnansweredTag;
        if (tag is { Length: > 0 } && !tag.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            throw new ChannelsFileException($"{where}: unansweredTag '{tag}' is not a user group id (e.g. S0123ABCD)");
        }

        return new ChannelPolicy(
            id,
            entry.Name?.Trim(),
            mode,
            Clean(entry.Areas) ?? fallback.Areas,
            entry.Private ?? fallback.Private,
            Clean(entry.AllowedGroups) ?? fallback.AllowedGroups,
            string.IsNullOrEmpty(tag) ? null : tag,
            entry.DailyCap ?? fallback.DailyCap)
        {
            Sources = Clean(entry.Sources) ?? fallback.Sources,
        };
    }

    private static List<string>? Clean(List<string>? values) =>
        values?.Select(v => v.Trim()).Where(v => v.Length > 0).Distinct(StringComparer.Ordinal).ToList();

    private static readonly IDeserializer Deserializer = new DeserializerBuilder()
        .WithNamingConvention(CamelCaseNamingConvention.Instance)
        .Build();

    // The YAML shapes; unknown keys fail deserialization.
    internal sealed class Document
    {
        public Entry? Defaults { get; set; }

        public Dictionary<string, Entry?>? Channels { get; set; }
    }

    internal sealed class Entry
    {
        public string? Name { get; set; }

        public string? Mode { get; set; }

        public List<string>? Areas { get; set; }

        public List<string>? Sources { get; set; }

        public bool? Private { get; set; }

        public List<string>? AllowedGroups { get; set; }

        public string? UnansweredTag { get; set; }

        public int? DailyCap { get; set; }
    }
}
