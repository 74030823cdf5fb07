using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace SupportBot.IntegrationTests.Infrastructure;

/// <summary>
/// A local stand-in of an OpenTelemetry collector's OTLP/HTTP receiver: keeps each export's protobuf body by signal
/// (<c>/v1/traces</c>, <c>/v1/metrics</c>, <c>/v1/logs</c>) and answers 200 with an empty response, as a collector does.
/// </summary>
public sealed class OtlpCollectorStandIn : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, ConcurrentQueue<byte[]>> _exports = new(StringComparer.Ordinal);

    private OtlpCollectorStandIn(WebApplication app) => _app = app;

    public Uri BaseAddress { get; private set; } = null!;

    public static async Task<OtlpCollectorStandIn> StartAsync()
    {
        var app = Loopback.StandInBuilder().Build();
        var standIn = new OtlpCollectorStandIn(app);
        app.MapPost("/v1/{signal}", async (string signal, HttpContext context) =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            standIn._exports.GetOrAdd(signal, _ => new()).Enqueue(body.ToArray());
            context.Response.ContentType = "application/x-protobuf";
        });
        await app.StartAsync();
        standIn.BaseAddress = Loopback.AddressOf(app);
        return standIn;
    }

    /// <summary>True once some export of <paramref name="signal"/> carries every one of <paramref name="texts"/> (protobuf keeps strings as UTF-8).</summary>
    public bool Received(string signal, params string[] texts) =>
        _exports.TryGetValue(signal, out var bodies)
        && texts.All(text => bodies.Any(body => Encoding.UTF8.GetString(body).Contains(text, StringComparison.Ordinal)));

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
