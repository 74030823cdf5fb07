using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SupportBot.Core.Articles;
using SupportBot.Core.Audit;
using SupportBot.IntegrationTests.Infrastructure;

namespace SupportBot.IntegrationTests.Hosting;

/// <summary>The draft-article review queue over the host's API: edit (masked), approve, download as Markdown, delete.</summary>
public sealed class ArticleReviewTests : IAsyncLifetime
{
    private BotHost _host = null!;

    public async Task InitializeAsync() => _host = await BotHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task A_draft_is_edited_masked_approved_downloaded_and_deleted()
    {
        var drafts = _host.Services.GetRequiredService<IArticleDrafts>();
        Assert.True(await drafts.AddAsync(new ArticleDraft("ESC-1001", "Evidence upload fails", "disputes", "## Problem\n\nUploads fail.", "escalation ESC-1001", "omar", DateTimeOffset.UtcNow), default));

        var queue = await _host.Client.GetFromJsonAsync<JsonElement>("/api/articles");
        Assert.Equal("Review", queue.GetProperty("drafts")[0].GetProperty("status").GetString());

        using (var bad = await _host.Client.PutAsJsonAsync("/api/articles/ESC-1001", new { title = "", body = "x" }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        }

        using (var missing = await _host.Client.PutAsJsonAsync("/api/articles/ESC-9", new { title = "t", body = "x" }))
        {
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        }

        using (var edited = await _host.Client.PutAsJsonAsync("/api/articles/ESC-1001", new { title = "Evidence uploads over 8 MB fail", product = "disputes", body = "Raise the limit. Test card 4242 4242 4242 4242 works." }))
        {
            Assert.Equal(HttpStatusCode.OK, edited.StatusCode);
            Assert.DoesNotContain("4242 4242 4242 4242", (await edited.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("body").GetString(), StringComparison.Ordinal);
        }

        using (var approved = await _host.Client.PostAsync(new Uri("/api/articles/ESC-1001/approve", UriKind.Relative), null))
        {
            Assert.Equal("Approved", (await approved.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        }

        using (var markdown = await _host.Client.GetAsync(new Uri("/api/articles/ESC-1001/markdown", UriKind.Relative)))
        {
            Assert.Equal("text/markdown", markdown.Content.Headers.ContentType!.MediaType);
            Assert.Equal("evidence-uploads-over-8-mb-fail.md", markdown.Content.Headers.ContentDisposition!.FileNameStar ?? markdown.Content.Headers.ContentDisposition.FileName);
            var text = await markdown.Content.ReadAsStringAsync();
            Assert.StartsWith("---\ntitle: \"Evidence uploads over 8 MB fail\"\nproduct: \"disputes\"\nupdated: ", text.ReplaceLineEndings("\n"), StringComparison.Ordinal);
            Assert.Contains("# Evidence uploads over 8 MB fail", text, StringComparison.Ordinal);
        }

        using (var deleted = await _host.Client.DeleteAsync(new Uri("/api/articles/ESC-1001", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        Assert.Null(await drafts.GetAsync("ESC-1001", default));
        var audit = await _host.Services.GetRequiredService<IAuditTrail>().ReadAsync(10, default);
        Assert.Equal(["article.delete", "article.approve"], audit.Where(e => e.Action.StartsWith("article.", StringComparison.Ordinal)).Select(e => e.Action));
    }
}
