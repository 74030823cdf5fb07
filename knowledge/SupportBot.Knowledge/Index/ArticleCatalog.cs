using Lucene.Net.Index;
using Lucene.Net.Search;
using SupportBot.Knowledge.Articles;

namespace SupportBot.Knowledge.Index;

/// <summary>An article as the index holds it (one row per article, whatever its passages).</summary>
/// <param name="Id">The stable id curation goes by.</param>
public sealed record IndexedArticle(string Id, string Title, string Product, string Url, string Source, DateOnly? Updated);

/// <summary>The articles of the knowledge index, for the dashboard's curation list.</summary>
public sealed class ArticleCatalog(KnowledgeIndex index)
{
    private static readonly HashSet<string> Fields =
        [IndexFields.Article, IndexFields.Title, IndexFields.Product, IndexFields.Url, IndexFields.Source, IndexFields.Updated];

    /// <summary>Every article, by title: one stored document read per article, found through the article-id terms.</summary>
    public Task<IReadOnlyList<IndexedArticle>> ListAsync(CancellationToken cancellationToken) =>
        index.SearchAsync<IReadOnlyList<IndexedArticle>>(searcher => List(searcher.IndexReader, cancellationToken), cancellationToken);

    private static List<IndexedArticle> List(IndexReader reader, CancellationToken cancellationToken)
    {
        var articles = new List<IndexedArticle>();
        var terms = MultiFields.GetTerms(reader, IndexFields.Article);
        if (terms is null)
        {
            return articles;
        }

        var liveDocs = MultiFields.GetLiveDocs(reader);
        var iterator = terms.GetEnumerator();
        DocsEnum? docs = null;
        while (iterator.MoveNext())
        {
            cancellationToken.ThrowIfCancellationRequested();
            docs = iterator.Docs(liveDocs, docs, DocsFlags.NONE);
            var doc = docs.NextDoc();
            if (doc == DocIdSetIterator.NO_MORE_DOCS)
            {
                continue; // Only deleted passages carry this id.
            }

            var stored = reader.Document(doc, Fields);
            var id = stored.Get(IndexFields.Article);
            articles.Add(new IndexedArticle(
                id,
                stored.Get(IndexFields.Title) ?? id,
                stored.Get(IndexFields.Product) ?? string.Empty,
                stored.Get(IndexFields.Url) ?? string.Empty,
                stored.Get(IndexFields.Source) ?? string.Empty,
                ArticleDates.Parse(stored.Get(IndexFields.Updated))));
        }

        return [.. articles.OrderBy(a => a.Title, StringComparer.OrdinalIgnoreCase).ThenBy(a => a.Id, StringComparer.Ordinal)];
    }
}
