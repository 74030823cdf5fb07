using SupportBot.IntegrationTests.Infrastructure;
using SupportBot.Knowledge.Index;

namespace SupportBot.IntegrationTests.Knowledge;

/// <summary>The product's default retrieval (hybrid, the local model) in a real host, as the README's run command starts it.</summary>
public sealed class DefaultHybridTests : IDisposable
{
    private readonly string _work = Path.Combine(Path.GetTempPath(), "supportbot-tests", Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task A_host_on_its_defaults_builds_the_sample_index_with_vectors_and_answers_with_citations()
    {
        var index = Path.Combine(_work, "index");

        // The run's environment turns the model off (TestDefaults); configuration puts the default back.
        await using var host = await BotHost.StartAsync($"Knowledge:IndexPath={index}", "Knowledge:Embeddings:Provider=local");
        var reply = await host.WaitForReplyAsync(await host.SendAsync("How do I respond to a dispute?"), TimeSpan.FromSeconds(60));

        Assert.True(reply.Confident);
        Assert.Contains(reply.Citations, c => c.ArticleId == "responding-to-a-dispute");
        using var directory = Lucene.Net.Store.FSDirectory.Open(index);
        using var reader = Lucene.Net.Index.DirectoryReader.Open(directory);
        Assert.Contains("arctic", reader.IndexCommit.UserData[IndexFields.EmbeddingModelCommitKey], StringComparison.OrdinalIgnoreCase);
        var vectors = Lucene.Net.Index.MultiDocValues.GetBinaryValues(reader, IndexFields.Vector);
        Assert.NotNull(vectors);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_work, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
