using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace SupportBot.IntegrationTests.Infrastructure;

/// <summary>A local public docs website: HTML pages by path, a robots.txt and a sitemap, and a log of what was fetched.</summary>
public sealed class DocsSiteStandIn : IAsyncDisposable
{
    private readonly WebApplication _app;

    private DocsSiteStandIn(WebApplication app) => _app = app;

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Pages by path (<c>/guide/refunds</c>); the rest answer 404.</summary>
    public ConcurrentDictionary<string, string> Pages { get; } = new(StringComparer.Ordinal);

    public string? Robots { get; set; }

    public string? Sitemap { get; set; }

    public ConcurrentQueue<string> Fetched { get; } = new();

    public static async Task<DocsSiteStandIn> StartAsync()
    {
        var app = Loopback.StandInBuilder().Build();
        var standIn = new DocsSiteStandIn(app);
        app.Run(async context =>
        {
            var path = context.Request.Path.Value ?? "/";
            standIn.Fetched.Enqueue(path);
            var (body, type) = path switch
            {
                "/robots.txt" => (standIn.Robots, "text/plain"),
                "/sitemap.xml" => (standIn.Sitemap, "application/xml"),
                _ => (standIn.Pages.GetValueOrDefault(path), "text/html; charset=utf-8"),
            };
            if (body is null)
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }

            context.Response.ContentType = type;
            await context.Response.WriteAsync(body);
        });
        await app.StartAsync();
        standIn.BaseAddress = Loopback.AddressOf(app);
        return standIn;
    }

    public static string Page(string title, string text, params string[] links) =>
        $"<!DOCTYPE html><html lang=\"en\"><head><title>{title}</title></head><body><nav><a href=\"/\">Home</a></nav><main><h1>{title}</h1><p>{text}</p>" +
        string.Concat(links.Select(l => $"<p><a href=\"{l}\">{l}</a></p>")) + "</main></body></html>";

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
