namespace SupportBot.Knowledge.Articles;

/// <summary>A knowledge article as read from a source file, before chunking.</summary>
/// <param name="Id">Stable id (the file's path below its ingest root, without extension).</param>
/// <param name="Title">From the front matter, else the first heading, else the file name.</param>
/// <param name="Product">Product area (front matter <c>product</c>); <c>general</c> when absent.</param>
/// <param name="Url">Where agents read it (front matter <c>url</c>); empty when absent.</param>
/// <param name="Updated">Front matter <c>updated</c>, as written.</param>
/// <param name="Source">The file, relative to its ingest root.</param>
/// <param name="Body">The Markdown body (front matter removed).</param>
public sealed record Article(string Id, string Title, string Product, string Url, string? Updated, string Source, string Body)
{
    /// <summary>
    /// The language the article says it is written in (front matter <c>language</c>, <c>lang</c> or <c>locale</c>:
    /// a code, a locale or a name), as written; null when it does not say, and its text is then detected.
    /// </summary>
    public string? Language { get; init; }

    /// <summary>How <see cref="Body"/> is written: Markdown (files, and HTML turned into Markdown) or plain text (corpus lines).</summary>
    public ArticleFormat Format { get; init; } = ArticleFormat.Markdown;
}

/// <summary>How an article's body is written.</summary>
public enum ArticleFormat
{
    /// <summary>Markdown: split into sections at its headings.</summary>
    Markdown,

    /// <summary>Plain text: one passage (cut only by length), read line by line (<see cref="PlainText"/>).</summary>
    PlainText,
}

/// <summary>A section of an article: the unit the index stores and the drafter cites.</summary>
/// <param name="Updated">The article's last update (<see cref="Article.Updated"/> read as a date), when it has one.</param>
public sealed record Chunk(string Id, string ArticleId, string Title, string? Section, string Product, string Url, string Source, string Text, DateOnly? Updated = null)
{
    /// <summary>The article's language (a code of <see cref="SupportBot.Core.Languages.KnownLanguages"/>): which analyzer indexes the passage.</summary>
    public string Language { get; init; } = SupportBot.Core.Languages.KnownLanguages.English;
}
