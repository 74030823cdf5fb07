namespace SupportBot.Core.Channels;

/// <summary>Settings of the <c>Channels</c> section (docs/configuration.md).</summary>
public sealed class ChannelOptions
{
    public const string Section = "Channels";

    /// <summary>The channels file (YAML, format in docs/configuration.md); empty: every channel behaves the same (mention mode).</summary>
    public string? File { get; set; }

    /// <summary>How often the file is checked for changes; a valid new version applies without a restart.</summary>
    public TimeSpan ReloadInterval { get; set; } = TimeSpan.FromSeconds(5);
}
