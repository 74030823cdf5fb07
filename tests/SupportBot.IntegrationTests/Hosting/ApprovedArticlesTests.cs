using System.Net;
using Microsoft.Extensions.DependencyInjection;
using SupportBot.Core.Articles;
using SupportBot.Host.Endpoints;
using SupportBot.IntegrationTests.Infrastructure;

namespace SupportBot.IntegrationTests.Hosting;

/// <summary>
/// An article a lead approves in the review queue is published into every replica's knowledge index (each replica its
/// own index folder, the queue shared through Redis): the other replica answers from it and cites it; deleting it
/// takes it back out; a draft still in review is never cited.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class ApprovedArticlesTests(SharedRedis redis) : IAsyncLifetime
{
    private const string Question = "How long does a numbat wallet refund take to settle?";
    private readonly string _work = Path.Combine(Path.GetTempPath(), "supportbot-tests", Guid.NewGuid().ToString("N"));
    private readonly string _prefix = SharedRedis.NewPrefix();
    private BotHost _lead = null!;
    private BotHost _other = null!;

    public async Task InitializeAsync()
    {
        _lead = await BotHost.StartAsync(Replica("a"));
        _other = await BotHost.StartAsync(Replica("b"));
    }

    public async Task DisposeAsync()
    {
        await _other.DisposeAsync();
        await _lead.DisposeAsync();
        try
        {
            Directory.Delete(_work, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    [Fact]
    public async Task An_approved_article_is_cited_by_every_replica_until_it_is_deleted()
    {
        var drafts = _lead.Services.GetRequiredService<IArticleDrafts>();
        Assert.True(await drafts.AddAsync(new ArticleDraft(
            "ESC-4242", "Numbat wallet refunds", "refunds",
            "## Outcome\n\nA numbat wallet refund settles within nine business days; the wallet shows it as pending until then.",
            "escalation ESC-4242", "omar", DateTimeOffset.UtcNow), default));

        // In review: never searched, however long the replicas sync.
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        Assert.DoesNotContain(await CitationsAsync(_other), Approved);

        using (var approved = await _lead.Client.PostAsync(new Uri("/api/articles/ESC-4242/approve", UriKind.Relative), null))
        {
            Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        }

        ChatReply? reply = null;
        await RedisServer.WaitUntilAsync(async () =>
        {
            reply = await _other.WaitForReplyAsync(await _other.SendAsync(Question));
            return reply.Citations.Any(Approved);
        }, TimeSpan.FromSeconds(30), "the approved article never reached the other replica's answers");
        Assert.True(reply!.Confident);
        Assert.Contains("nine business days", reply.Text, StringComparison.Ordinal);
        await RedisServer.WaitUntilAsync(
            async () => (await CitationsAsync(_lead)).Any(Approved),
            TimeSpan.FromSeconds(30), "the approved article never reached the lead's replica's answers"); // each replica syncs on its own clock

        using (var deleted = await _lead.Client.DeleteAsync(new Uri("/api/articles/ESC-4242", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        await RedisServer.WaitUntilAsync(
            async () => !(await CitationsAsync(_other)).Any(Approved),
            TimeSpan.FromSeconds(30), "the deleted article was still cited");
    }

    /// <summary>A citation of the approved article (its section follows the title) from the approved-articles source.</summary>
    private static bool Approved(SupportBot.Core.Answering.Citation citation) =>
        citation.Title.StartsWith("Numbat wallet refunds", StringComparison.Ordinal) && citation.Source == ArticleDraft.SourceName;

    private static async Task<IReadOnlyList<SupportBot.Core.Answering.Citation>> CitationsAsync(BotHost host) =>
        (await host.WaitForReplyAsync(await host.SendAsync(Question))).Citations;

    private string[] Replica(string name) =>
    [
        $"Redis:Configuration={redis.Configuration}",
        $"Redis:KeyPrefix={_prefix}",
        $"Knowledge:IndexPath={Path.Combine(_work, "index-" + name)}",
        "Knowledge:ApprovedArticles:SyncInterval=00:00:01",
    ];
}
