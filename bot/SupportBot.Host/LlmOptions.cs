namespace SupportBot.Host;

/// <summary>Settings of the <c>Llm</c> section. This build drafts offline; model providers plug in here.</summary>
public sealed class LlmOptions
{
    public const string Section = "Llm";

    public static readonly IReadOnlyList<string> KnownProviders = ["extractive"];

    public string Provider { get; set; } = "extractive";

    public string? Endpoint { get; set; }

    public string? ApiKey { get; set; }

    public string? Model { get; set; }

    public string? EmbeddingModel { get; set; }
}
