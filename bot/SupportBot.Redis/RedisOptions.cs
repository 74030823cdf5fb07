namespace SupportBot.Redis;

/// <summary>Settings of the <c>Redis</c> section.</summary>
public sealed class RedisOptions
{
    public const string Section = "Redis";

    /// <summary>A StackExchange.Redis configuration string; empty means in-memory state (one process).</summary>
    public string? Configuration { get; set; }

    /// <summary>Prefix of every key, so several deployments can share one Redis.</summary>
    public string KeyPrefix { get; set; } = "sb";

    public bool Enabled => !string.IsNullOrWhiteSpace(Configuration);
}
