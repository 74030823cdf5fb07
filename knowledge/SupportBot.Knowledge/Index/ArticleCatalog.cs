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

    /// <summary>Every article, by title; reads the stored fields of every live passage once.</summary>
    public Task<IReadOnlyList<IndexedArticle>> ListAsync(CancellationToken cancellationToken) =>
        index.SearchAsync<IReadOnlyList<IndexedArticle>>(searcher => List(searcher, cancellationToken), cancellationToken);

    private static List<IndexedArticle> List(IndexSearcher searcher, CancellationToken cancellationToken)
    {
        var articles = new Dictionary<string, IndexedArticle>(StringComparer.Ordinal);
        foreach (var leaf in searcher.IndexReader.Leaves)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var reader = leaf.AtomicReader;
            var live = reader.LiveDocs;
            for (var doc = 0; doc < reader.MaxDoc; doc++)
            {
                if (live is not null && !live.Get(doc))
                {
                    continue;
                }

                var stored = reader.Document(doc, Fields);
                var id = stored.Get(IndexFields.Article);
                if (id is null || articles.ContainsKey(id))
                {
                    continue;
                }

                articles[id] = new IndexedArticle(
                    id,
                    stored.Get(IndexFields.Title) ?? id,
                    stored.Get(IndexFields.Product) ?? string.Empty,
                    stored.Get(IndexFields.Url) ?? string.Empty,
                    stored.Get(IndexFields.Source) ?? string.Empty,
                    ArticleDates.Parse(stored.Get(IndexFields.Updated)));
            }
        }

        return [.. articles.Values.OrderBy(a => a.Title, StringComparer.OrdinalIgnoreCase).ThenBy(a => a.Id, StringComparer.Ordinal)];
    }
}
