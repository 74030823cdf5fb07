using System.ComponentModel.DataAnnotations;

namespace SupportBot.Knowledge.Vectors;

/// <summary>
/// Settings of the <c>Knowledge:Embeddings</c> section: which embedding model hybrid search uses. A model
/// configured under <c>Llm:EmbeddingModel</c> takes precedence over <see cref="Provider"/>.
/// </summary>
public sealed class EmbeddingOptions
{
    public const string Section = "Knowledge:Embeddings";

    /// <summary><c>local</c>: the in-process ONNX model shipped with the program; <c>none</c>: BM25 alone.</summary>
    [RegularExpression("^(?i)(local|none)$", ErrorMessage = "must be 'local' or 'none'")]
    public string Provider { get; set; } = EmbeddingProviders.Local;

    /// <summary>
    /// The local model: the package assembly that embeds it (model.onnx, vocab.txt) or a folder holding those
    /// two files; empty means the copy shipped beside the program.
    /// </summary>
    public string? ModelPath { get; set; }

    /// <summary>
    /// The local model: batches of passages embedded side by side (ingest, syncs); 0 means one per processor. Each
    /// question is embedded on one thread, so questions embedded at once share the cores without contention.
    /// </summary>
    [Range(0, 64)]
    public int Threads { get; set; }

    /// <summary>
    /// Languages (codes of <c>Knowledge:Languages</c>) whose questions get the dense side of hybrid search; a question in
    /// another language is searched with BM25 alone. Empty means English with the local model (it was trained on
    /// English only) and every language with a provider's model.
    /// </summary>
    public IList<string> Languages { get; } = [];

    public bool UsesLocalModel => string.Equals(Provider, EmbeddingProviders.Local, StringComparison.OrdinalIgnoreCase);
}

/// <summary>The values of <c>Knowledge:Embeddings:Provider</c>.</summary>
public static class EmbeddingProviders
{
    public const string Local = "local";
    public const string None = "none";
}
