namespace SupportBot.Llm;

/// <summary>Settings of the <c>Llm</c> section: which model drafts answers, and its limits.</summary>
public sealed class LlmOptions
{
    public const string Section = "Llm";
    public const string Extractive = "extractive";
    public const string AzureOpenAI = "azure-openai";
    public const string OpenAI = "openai";

    public static readonly IReadOnlyList<string> KnownProviders = [Extractive, AzureOpenAI, OpenAI];

    /// <summary><c>extractive</c> (offline), <c>azure-openai</c>, or <c>openai</c> (any OpenAI-compatible endpoint).</summary>
    public string Provider { get; set; } = Extractive;

    /// <summary>The service's base URL (required for Azure; for OpenAI-compatible servers, their <c>/v1</c> base).</summary>
    public string? Endpoint { get; set; }

    public string? ApiKey { get; set; }

    /// <summary>The model (the deployment name on Azure).</summary>
    public string? Model { get; set; }

    /// <summary>
    /// The embedding model (the deployment name on Azure), reached with the same provider, endpoint and key.
    /// When set, knowledge passages are stored with vectors and search fuses BM25 with dense retrieval.
    /// </summary>
    public string? EmbeddingModel { get; set; }

    /// <summary>How long one model call may take before the extractive answer is used instead.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Budget for the whole prompt; the thread's oldest turns are dropped first.</summary>
    public int MaxPromptTokens { get; set; } = 6_000;

    public bool UsesModel => Provider is AzureOpenAI or OpenAI;

    public bool UsesEmbeddings => UsesModel && !string.IsNullOrWhiteSpace(EmbeddingModel);
}
