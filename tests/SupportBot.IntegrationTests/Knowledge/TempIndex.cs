using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SupportBot.Knowledge;
using SupportBot.Knowledge.Articles;
using SupportBot.Knowledge.Index;
using SupportBot.Knowledge.Search;

namespace SupportBot.IntegrationTests.Knowledge;

/// <summary>A real on-disk knowledge index in a temporary folder, with the real search over it.</summary>
internal sealed class TempIndex : IDisposable
{
    public TempIndex(KnowledgeSearchOptions? search = null)
    {
        Folder = Path.Combine(Path.GetTempPath(), "supportbot-tests", Guid.NewGuid().ToString("N"));
        var options = new KnowledgeOptions { IndexPath = Path.Combine(Folder, "index") };
        Index = new KnowledgeIndex(Options.Create(options), NullLogger<KnowledgeIndex>.Instance, Options.Create(search ?? new KnowledgeSearchOptions()));
        Search = new LuceneKnowledgeSearch(Index, Options.Create(search ?? new KnowledgeSearchOptions()));
    }

    public string Folder { get; }

    public KnowledgeIndex Index { get; }

    internal LuceneKnowledgeSearch Search { get; }

    public static Article Article(string id, string title, string body, string product = "general") =>
        new(id, title, product, $"https://kb.example/{id}", null, $"{id}.md", body);

    public Task AddAsync(params Article[] articles) => Index.UpsertAsync(articles, default);

    public void Dispose()
    {
        Index.Dispose();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
