using SupportBot.IntegrationTests.Infrastructure;
using SupportBot.IntegrationTests.Slack;

namespace SupportBot.IntegrationTests.Hosting;

/// <summary>With <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> set, the host exports its traces, metrics and logs over OTLP/HTTP.</summary>
public sealed class OpenTelemetryTests
{
    [Fact]
    public async Task A_question_answered_shows_up_as_spans_metrics_and_logs_at_the_collector()
    {
        await using var collector = await OtlpCollectorStandIn.StartAsync();
        await using var model = await OpenAiStandIn.StartAsync();
        await using var slack = await SlackApiStandIn.StartAsync();
        await using var host = await BotHost.StartAsync(
            [.. SlackRequests.Settings(slack),
            "Llm:Provider=openai",
            $"Llm:Endpoint={model.OpenAiEndpoint}",
            "Llm:ApiKey=k",
            "Llm:Model=m",
            $"OTEL_EXPORTER_OTLP_ENDPOINT={collector.BaseAddress.ToString().TrimEnd('/')}",
            "OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf",
            "OTEL_BSP_SCHEDULE_DELAY=100",
            "OTEL_BLRP_SCHEDULE_DELAY=100",
            "OTEL_METRIC_EXPORT_INTERVAL=200",
            "Logging:LogLevel:Default=Information"]);

        // Through Slack, so the signature check is a span too.
        var ts = SlackRequests.NextTs();
        using (var mention = SlackRequests.Event(SlackRequests.Envelope(SlackRequests.Mention("How do I respond to a dispute?", ts))))
        {
            using var acknowledged = await host.Client.SendAsync(mention);
            Assert.Equal(System.Net.HttpStatusCode.OK, acknowledged.StatusCode);
        }

        // With a model, the answer streams (Slack's streaming methods, on by default).
        await slack.WaitForAsync("chat.startStream", c => c.Field("thread_ts") == ts);

        await RedisServer.WaitUntilAsync(
            () => Task.FromResult(collector.Received("traces", "supportbot", "supportbot.ack", "supportbot.handle", "supportbot.retrieve", "supportbot.generate", "supportbot.post", "chat m", "supportbot.verify", "supportbot.queue.wait_ms")),
            TimeSpan.FromSeconds(20),
            "the pipeline's spans were not exported");
        await RedisServer.WaitUntilAsync(
            () => Task.FromResult(collector.Received("metrics", "supportbot.answers", "supportbot.inbound.deliveries", "http.server.request.duration", "gen_ai.client.operation.duration", "supportbot.inbound.ack.duration", "supportbot.queue.depth", "supportbot.queue.wait")),
            TimeSpan.FromSeconds(20),
            "the metrics were not exported");
        await RedisServer.WaitUntilAsync(
            () => Task.FromResult(collector.Received("logs", "Answered a question")),
            TimeSpan.FromSeconds(20),
            "the logs were not exported");
        Assert.False(collector.Received("traces", "How do I respond to a dispute?"), "a span carried the question's text");
    }
}
