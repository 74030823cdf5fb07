using Microsoft.Extensions.Configuration;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using SupportBot.Core.Telemetry;

namespace SupportBot.Host.Observability;

/// <summary>
/// Exports traces, metrics and logs over OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set; the standard
/// <c>OTEL_*</c> variables (protocol, headers, intervals, <c>OTEL_SERVICE_NAME</c>, default <c>supportbot</c>) apply.
/// Traces: incoming requests, outgoing HTTP calls, Redis commands, model calls (gen_ai) and SupportBot's own steps;
/// metrics: the same plus model latency and tokens and <see cref="SupportBotTelemetry"/>'s counters; logs: what the
/// console shows, structured.
/// </summary>
internal static class OpenTelemetrySetup
{
    public const string EndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>Microsoft.Extensions.AI's OpenTelemetry middleware on the model clients: gen_ai spans, latency and tokens.</summary>
    private const string LlmTelemetrySource = "SupportBot.Llm";

    public static IHostApplicationBuilder AddSupportBotTelemetry(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (string.IsNullOrWhiteSpace(builder.Configuration[EndpointKey]))
        {
            return builder;
        }

        var redis = !string.IsNullOrWhiteSpace(builder.Configuration["Redis:Configuration"]);
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(
                builder.Configuration["OTEL_SERVICE_NAME"] is { Length: > 0 } name ? name : "supportbot",
                serviceVersion: typeof(OpenTelemetrySetup).Assembly.GetName().Version?.ToString()))
            .WithTracing(tracing =>
            {
                tracing.AddSource(SupportBotTelemetry.Name, LlmTelemetrySource).AddAspNetCoreInstrumentation().AddHttpClientInstrumentation();
                if (redis)
                {
                    tracing.AddRedisInstrumentation();
                }
            })
            .WithMetrics(metrics => metrics.AddMeter(SupportBotTelemetry.Name, LlmTelemetrySource).AddAspNetCoreInstrumentation().AddHttpClientInstrumentation())
            .WithLogging()
            .UseOtlpExporter();
        return builder;
    }
}
