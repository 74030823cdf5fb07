namespace SupportBot.Knowledge.Index;

/// <summary>Field names of the Lucene index, in one place.</summary>
internal static class IndexFields
{
    public const string Id = "id";
    public const string Article = "article";
    public const string Title = "title";
    public const string Section = "section";
    public const string Product = "product";
    public const string Url = "url";
    public const string Source = "source";
    public const string Body = "body";

    /// <summary>Stored: the article's last update as <c>yyyy-MM-dd</c>, when its front matter says.</summary>
    public const string Updated = "updated";

    /// <summary>Doc value: 1 for an article's lead passage (no section), read while ranking without loading stored fields.</summary>
    public const string Lead = "lead";

    /// <summary>The full path of the file a passage came from: replacing or removing a file goes by it.</summary>
    public const string File = "file";

    /// <summary><c>path\nsha256</c>: lets an ingest run see every indexed file's hash from the term dictionary alone.</summary>
    public const string FileHash = "file_hash";

    /// <summary>Binary doc value: the passage's embedding, L2-normalised float32 little-endian (only with an embedding model).</summary>
    public const string Vector = "vector";

    /// <summary>
    /// Doc value: which embedding model made <see cref="Vector"/> (a hash of its name), so vectors of a
    /// model no longer configured are never compared with the current model's questions.
    /// </summary>
    public const string VectorSpace = "vector_space";

    /// <summary>Commit user data: the embedding model the last ingest used, and its dimensions.</summary>
    public const string EmbeddingModelCommitKey = "embedding.model";

    public const string EmbeddingDimensionsCommitKey = "embedding.dimensions";

    /// <summary>Commit user data: how the passages were read and analysed (<see cref="KnowledgeIndex.AnalysisVersion"/>).</summary>
    public const string AnalysisCommitKey = "analysis";

    /// <summary>
    /// Stored, on passages in a language other than English: its code. Their searchable fields are this name's
    /// <see cref="LanguageFields"/> (<c>text_de</c>…); English passages have none and use the original fields.
    /// </summary>
    public const string Language = "language";

    /// <summary>Title, section and body together: the field term statistics (IDF, coverage) are taken from.</summary>
    public const string Text = "text";
}
