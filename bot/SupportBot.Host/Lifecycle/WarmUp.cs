using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using SupportBot.Core;
using SupportBot.Core.Answering;
using SupportBot.Core.Conversations;
using SupportBot.Core.Queue;
using SupportBot.Core.State;
using SupportBot.Core.Surfaces;
using SupportBot.Slack.BlockKit;
using SupportBot.Slack.Signing;

namespace SupportBot.Host.Lifecycle;

/// <summary>
/// Before a replica takes traffic, the code of its hot paths is run often enough for the JIT to compile it
/// optimised, so the first minutes under load are as fast as the rest (measured: a cold replica answered
/// p99 240–370 ms in its first 20 s). Nothing is posted, stored or counted: a signed <c>url_verification</c> through
/// the replica's own Slack endpoint (signature, body, JSON), knowledge searches and extractive drafts, reply
/// rendering, and state-store round trips on throw-away keys. Readiness says "warming up" until it is done, and
/// never waits longer than <see cref="Budget"/>.
/// </summary>
internal sealed partial class WarmUp(
    IServiceProvider services,
    IServer server,
    IHostApplicationLifetime lifetime,
    ReplicaLifecycle lifecycle,
    IConfiguration configuration,
    TimeProvider time,
    ILogger<WarmUp> logger) : BackgroundService
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(15);

    private static readonly string[] Questions =
    [
        "How do I respond to a dispute?", "Why is a payout delayed?", "How do refunds reach the cardholder?",
        "What does card_velocity_exceeded mean?", "How do instant payouts work?", "Why was a payment declined?",
    ];

    /// <summary><c>WarmUp:Rounds</c>: how many times each path runs (0 turns the warm-up off).</summary>
    private int Rounds => configuration.GetValue("WarmUp:Rounds", 200);

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        if (Rounds > 0)
        {
            lifecycle.WarmingUp(); // before the server listens: readiness is false from the first request
        }

        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (Rounds <= 0)
        {
            return;
        }

        var started = time.GetTimestamp();
        using var budget = new Deadline(Budget, time, stoppingToken);
        try
        {
            await WaitForStartAsync(budget.Token);
            await Task.WhenAll(
                RunAsync(WarmSlackEndpointAsync, budget.Token),
                RunAsync(WarmAnsweringAsync, budget.Token),
                RunAsync(WarmStateAsync, budget.Token));
            _completed = true;
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            LogBudgetSpent(logger, Budget.TotalSeconds);
        }
        finally
        {
            var took = time.GetElapsedTime(started).TotalMilliseconds;
            lifecycle.WarmedUp(string.Create(CultureInfo.InvariantCulture, $"warmed up: {(_completed ? Rounds : 0)} rounds in {took:0} ms"));
            LogWarm(logger, took);
        }
    }

    private async Task WaitForStartAsync(CancellationToken cancellationToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var registration = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        await started.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Runs one path <see cref="Rounds"/> times; a path that fails is logged and skipped, never blocks readiness.</summary>
    private async Task RunAsync(Func<int, CancellationToken, Task> path, CancellationToken cancellationToken)
    {
        try
        {
            for (var i = 0; i < Rounds; i++)
            {
                await path(i, cancellationToken);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogPathFailed(logger, path.Method.Name, ex);
        }
    }

    /// <summary>A signed <c>url_verification</c> through Kestrel and the Slack endpoint: answered with its challenge, nothing else.</summary>
    private async Task WarmSlackEndpointAsync(int round, CancellationToken cancellationToken)
    {
        if (services.GetService<SlackSignatureVerifier>() is not { } verifier || LocalAddress() is not { } address)
        {
            return;
        }

        _client ??= new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(5) };
        var body = Encoding.UTF8.GetBytes($$"""{"token":"warm-up","challenge":"warm-up-{{round}}","type":"url_verification"}""");
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/slack/events") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        request.Headers.Add(SlackSignatureVerifier.TimestampHeader, timestamp);
        request.Headers.Add(SlackSignatureVerifier.SignatureHeader, verifier.Sign(timestamp, body));
        using var response = await _client.SendAsync(request, cancellationToken);
    }

    private HttpClient? _client;
    private bool _completed;

    /// <summary>
    /// The channel check, search, the extractive draft, an answer-record read and reply rendering, as an answer runs
    /// them (no model is called; nothing is written).
    /// </summary>
    private async Task WarmAnsweringAsync(int round, CancellationToken cancellationToken)
    {
        var question = Questions[round % Questions.Length];
        var asked = new InboundMessage($"warm-up:{round}", new ConversationRef("warm-up", "none", "none"), "warm-up", "warm-up", question, DateTimeOffset.MinValue);
        var gate = services.GetRequiredService<SupportBot.Core.Channels.ChannelGate>();
        await gate.CheckAsync(asked, gate.PolicyFor(asked), cancellationToken);
        var hits = await services.GetRequiredService<IKnowledgeSearch>().SearchAsync(new SearchRequest(question, [], 6), cancellationToken);
        var answer = await services.GetRequiredService<ExtractiveDrafter>().DraftAsync(new AnswerRequest(question, []), hits, cancellationToken);
        await services.GetRequiredService<SupportBot.Core.Insights.IInsightsStore>().FindAnswerAsync(asked.Id, cancellationToken);
        var reply = Reply.FromAnswer(answer, asked.Id);
        if (services.GetService<SlackSignatureVerifier>() is not null)
        {
            SlackReplyRenderer.Render(reply);
        }
    }

    /// <summary>State-store round trips on throw-away keys: a claim taken and released, a history read, an outbox begun and forgotten.</summary>
    private async Task WarmStateAsync(int round, CancellationToken cancellationToken)
    {
        var key = $"warm-up:{Environment.ProcessId}:{round}";
        var claims = services.GetRequiredService<IDeduplicator>();
        await claims.TryClaimAsync(key, TimeSpan.FromMinutes(1), cancellationToken);
        await claims.ReleaseAsync(key, cancellationToken);
        await services.GetRequiredService<IConversationStore>().GetHistoryAsync(new ConversationRef("warm-up", "none", key), cancellationToken);
        var outbox = services.GetRequiredService<IReplyOutbox>();
        await outbox.BeginAsync(key, 0, cancellationToken);
        await outbox.ForgetAsync(key, cancellationToken);
    }

    private Uri? LocalAddress()
    {
        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault(a => a.StartsWith("http://", StringComparison.Ordinal));
        if (address is null)
        {
            return null;
        }

        // A wildcard binding (http://+:8080, http://[::]:8080) is reached on loopback.
        var uri = new Uri(address.Replace("://+", "://localhost", StringComparison.Ordinal).Replace("://*", "://localhost", StringComparison.Ordinal).Replace("://[::]", "://localhost", StringComparison.Ordinal).Replace("://0.0.0.0", "://localhost", StringComparison.Ordinal));
        return uri;
    }

    public override void Dispose()
    {
        _client?.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Warmed up in {Milliseconds:0} ms; ready for traffic")]
    private static partial void LogWarm(ILogger logger, double milliseconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Warm-up took longer than {Seconds} s; serving anyway")]
    private static partial void LogBudgetSpent(ILogger logger, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Warm-up path {Path} failed; serving anyway")]
    private static partial void LogPathFailed(ILogger logger, string path, Exception exception);
}
