using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace SupportBot.IntegrationTests.Infrastructure;

/// <summary>
/// A local stand-in of the OpenAI and Azure OpenAI chat-completions and embeddings REST API on a
/// loopback port: answers as told (JSON or server-sent events when <c>stream</c> is set), fails,
/// rate-limits or hangs, and records every request. Its embeddings are hashed character trigrams:
/// deterministic, and close for texts that share spellings ("charge back" and "chargeback") even where
/// they share no word.
/// </summary>
public sealed class OpenAiStandIn : IAsyncDisposable
{
    private const string BodyKey = "body";
    private const string PromptKey = "prompt";

    private readonly WebApplication _app;

    private OpenAiStandIn(WebApplication app) => _app = app;

    /// <summary>Dimensions of the stand-in's embeddings.</summary>
    public const int EmbeddingDimensions = 256;

    public sealed record Recorded(string Path, string? Authorization, string? ApiKey, JsonNode Body)
    {
        public string Prompt => string.Join("\n", Body["messages"]!.AsArray().Select(m => m!["content"]!.ToString()));
    }

    public sealed record EmbeddingRecorded(string Path, string? Authorization, string? ApiKey, string? Model, IReadOnlyList<string> Inputs);

    /// <summary>What the next requests get; answers one request at a time, in order.</summary>
    public ConcurrentQueue<Func<HttpContext, Task>> Script { get; } = new();

    /// <summary>What every request gets once <see cref="Script"/> is empty.</summary>
    public Func<HttpContext, Task> Default { get; set; } = Answer("The stand-in answer [1].");

    public ConcurrentQueue<Recorded> Requests { get; } = new();

    /// <summary>What every embeddings request gets: <see cref="Embeddings"/> unless a test says otherwise.</summary>
    public Func<HttpContext, Task> EmbeddingsDefault { get; set; } = Embeddings;

    public ConcurrentQueue<EmbeddingRecorded> EmbeddingRequests { get; } = new();

    /// <summary>Texts embedded so far, over all requests.</summary>
    public int EmbeddedTexts => EmbeddingRequests.Sum(r => r.Inputs.Count);

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>The OpenAI-style base (<c>…/v1</c>) for <c>Llm:Endpoint</c>.</summary>
    public string OpenAiEndpoint => new Uri(BaseAddress, "/v1").ToString();

    public static async Task<OpenAiStandIn> StartAsync()
    {
        var builder = Loopback.StandInBuilder();
        var app = builder.Build();
        var standIn = new OpenAiStandIn(app);
        app.MapPost("/v1/chat/completions", standIn.HandleAsync);
        app.MapPost("/openai/deployments/{deployment}/chat/completions", standIn.HandleAsync);
        app.MapPost("/v1/embeddings", standIn.HandleEmbeddingsAsync);
        app.MapPost("/openai/deployments/{deployment}/embeddings", standIn.HandleEmbeddingsAsync);
        await app.StartAsync();
        standIn.BaseAddress = Loopback.AddressOf(app);
        return standIn;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var body = (await JsonNode.ParseAsync(context.Request.Body))!;
        var recorded = new Recorded(context.Request.Path, context.Request.Headers.Authorization, context.Request.Headers["api-key"], body);
        Requests.Enqueue(recorded);
        context.Items[BodyKey] = body;
        context.Items[PromptKey] = recorded.Prompt;
        var respond = Script.TryDequeue(out var next) ? next : Default;
        await respond(context);
    }

    private async Task HandleEmbeddingsAsync(HttpContext context)
    {
        var body = (await JsonNode.ParseAsync(context.Request.Body))!;
        var input = body["input"]!;
        IReadOnlyList<string> inputs = input is JsonArray array ? [.. array.Select(i => i!.GetValue<string>())] : [input.GetValue<string>()];
        EmbeddingRequests.Enqueue(new EmbeddingRecorded(context.Request.Path, context.Request.Headers.Authorization, context.Request.Headers["api-key"], body["model"]?.ToString(), inputs));
        context.Items[BodyKey] = body;
        await EmbeddingsDefault(context);
    }

    /// <summary>The embeddings of the request's inputs, as floats or base64 as its <c>encoding_format</c> asks.</summary>
    public static Func<HttpContext, Task> Embeddings => async context =>
    {
        var body = (JsonNode)context.Items[BodyKey]!;
        var input = body["input"]!;
        IReadOnlyList<string> inputs = input is JsonArray array ? [.. array.Select(i => i!.GetValue<string>())] : [input.GetValue<string>()];
        var base64 = body["encoding_format"]?.ToString() == "base64";
        var data = inputs.Select((text, i) =>
        {
            var vector = Embed(text);
            return new JsonObject
            {
                ["object"] = "embedding",
                ["index"] = i,
                ["embedding"] = base64
                    ? JsonValue.Create(Convert.ToBase64String(MemoryMarshal.AsBytes(vector.AsSpan())))
                    : new JsonArray([.. vector.Select(v => (JsonNode)JsonValue.Create(v))]),
            };
        });
        var tokens = inputs.Sum(t => t.Length / 4 + 1);
        await context.Response.WriteAsJsonAsync(new JsonObject
        {
            ["object"] = "list",
            ["data"] = new JsonArray([.. data]),
            ["model"] = body["model"]?.ToString() ?? "stand-in-embedding",
            ["usage"] = new JsonObject { ["prompt_tokens"] = tokens, ["total_tokens"] = tokens },
        });
    };

    /// <summary>
    /// The stand-in's embedding of <paramref name="text"/>: the character trigrams of its lower-cased
    /// words (joined by single spaces, padded), each hashed (FNV-1a) to a dimension and a sign, L2-normalised.
    /// </summary>
    public static float[] Embed(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var words = new StringBuilder(" ");
        foreach (var c in text.ToLower(CultureInfo.InvariantCulture))
        {
            if (char.IsLetterOrDigit(c))
            {
                words.Append(c);
            }
            else if (words[^1] != ' ')
            {
                words.Append(' ');
            }
        }

        if (words[^1] != ' ')
        {
            words.Append(' ');
        }

        var vector = new float[EmbeddingDimensions];
        var normalized = words.ToString();
        for (var i = 0; i + 3 <= normalized.Length; i++)
        {
            var hash = 2166136261u;
            foreach (var c in normalized.AsSpan(i, 3))
            {
                hash = (hash ^ c) * 16777619u;
            }

            vector[hash % EmbeddingDimensions] += (hash & 0x8000_0000u) == 0 ? 1f : -1f;
        }

        var norm = MathF.Sqrt(vector.Sum(v => v * v));
        if (norm > 0)
        {
            for (var i = 0; i < vector.Length; i++)
            {
                vector[i] /= norm;
            }
        }

        return vector;
    }

    /// <summary>A completion with <paramref name="content"/>, streamed in small pieces when the request asks for it.</summary>
    public static Func<HttpContext, Task> Answer(string content, TimeSpan pieceDelay = default) => context => WriteCompletionAsync(context, content, pieceDelay);

    /// <summary>A completion whose content depends on the request (e.g. on the prompt).</summary>
    public static Func<HttpContext, Task> AnswerWith(Func<string, string> contentForPrompt) => context =>
        WriteCompletionAsync(context, contentForPrompt(PromptOf(context)), TimeSpan.Zero);

    /// <summary>Requests whose prompt contains <paramref name="marker"/> get <paramref name="then"/>; the others <paramref name="otherwise"/>.</summary>
    public static Func<HttpContext, Task> When(string marker, Func<HttpContext, Task> then, Func<HttpContext, Task> otherwise) => context =>
        PromptOf(context).Contains(marker, StringComparison.Ordinal) ? then(context) : otherwise(context);

    public static Func<HttpContext, Task> Status(int status, string? retryAfter = null) => async context =>
    {
        context.Response.StatusCode = status;
        if (retryAfter is not null)
        {
            context.Response.Headers.RetryAfter = retryAfter;
        }

        await context.Response.WriteAsJsonAsync(new { error = new { message = $"stand-in status {status}", type = "server_error" } });
    };

    /// <summary>Answers with <paramref name="then"/> after <paramref name="delay"/>, streamed or not (a slow model).</summary>
    public static Func<HttpContext, Task> After(TimeSpan delay, Func<HttpContext, Task> then) => async context =>
    {
        await Task.Delay(delay, context.RequestAborted);
        await then(context);
    };

    public static Func<HttpContext, Task> Hang => async context => await Task.Delay(Timeout.Infinite, context.RequestAborted);

    private static string PromptOf(HttpContext context) => (string)context.Items[PromptKey]!;

    private static async Task WriteCompletionAsync(HttpContext context, string content, TimeSpan pieceDelay)
    {
        var stream = ((JsonNode)context.Items[BodyKey]!)["stream"]?.GetValue<bool>() ?? false;
        if (!stream)
        {
            await context.Response.WriteAsJsonAsync(new
            {
                id = "chatcmpl-standin",
                @object = "chat.completion",
                created = 1_764_000_000,
                model = "stand-in",
                choices = new[] { new { index = 0, message = new { role = "assistant", content }, finish_reason = "stop" } },
                usage = new { prompt_tokens = 100, completion_tokens = 20, total_tokens = 120 },
            });
            return;
        }

        context.Response.ContentType = "text/event-stream";
        foreach (var piece in Pieces(content))
        {
            if (pieceDelay > TimeSpan.Zero)
            {
                await Task.Delay(pieceDelay, context.RequestAborted);
            }

            await WriteEventAsync(context, new { id = "chatcmpl-standin", @object = "chat.completion.chunk", created = 1_764_000_000, model = "stand-in", choices = new[] { new { index = 0, delta = new { content = piece }, finish_reason = (string?)null } } });
        }

        await WriteEventAsync(context, new { id = "chatcmpl-standin", @object = "chat.completion.chunk", created = 1_764_000_000, model = "stand-in", choices = new[] { new { index = 0, delta = new { }, finish_reason = "stop" } } });
        await context.Response.WriteAsync("data: [DONE]\n\n");
    }

    private static IEnumerable<string> Pieces(string content)
    {
        for (var i = 0; i < content.Length; i += 8)
        {
            yield return content.Substring(i, Math.Min(8, content.Length - i));
        }
    }

    private static async Task WriteEventAsync(HttpContext context, object chunk)
    {
        await context.Response.WriteAsync($"data: {JsonSerializer.Serialize(chunk)}\n\n");
        await context.Response.Body.FlushAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
