using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace SupportBot.Benchmarks.Http;

/// <summary>
/// The floor of any acknowledgement ASP.NET Core can give on this machine: Kestrel, one <c>POST</c> endpoint that reads
/// the whole body and answers 200 with Slack's empty acknowledgement, nothing verified, parsed or stored. Run beside
/// the bot and Bolt under the same load (<c>bench/slack/run.sh</c>), it says how much of an acknowledgement's cost is
/// the HTTP server's own and which throughputs no endpoint on this stack can reach here.
/// </summary>
internal static class HttpFloor
{
    public static async Task<int> RunAsync(int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        app.MapGet("/healthz", () => Results.Ok());
        app.MapPost("/{**path}", async (HttpRequest request) =>
        {
            // Read the body as the bot does before verifying it (a pooled buffer, discarded).
            var body = request.BodyReader;
            while (true)
            {
                var read = await body.ReadAsync();
                body.AdvanceTo(read.Buffer.End);
                if (read.IsCompleted)
                {
                    break;
                }
            }

            return Results.Ok();
        });
        await app.RunAsync();
        return 0;
    }
}
