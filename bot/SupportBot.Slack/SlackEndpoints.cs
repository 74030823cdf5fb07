using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using SupportBot.Slack.Commands;
using SupportBot.Slack.Events;
using SupportBot.Slack.Interactions;
using SupportBot.Slack.Signing;
using SupportBot.Slack.Workspaces;

namespace SupportBot.Slack;

/// <summary>
/// <c>POST /slack/events</c>, <c>/slack/commands</c> and <c>/slack/interactions</c>. Each reads the raw body,
/// verifies Slack's signature on those exact bytes (401 if missing, wrong or older than five minutes),
/// parses (400 if malformed), hands over and answers at once.
/// </summary>
public static class SlackEndpoints
{
    /// <summary>Slack's payloads are small; the host's Kestrel limit is the same 1 MB.</summary>
    public const int MaxBodyBytes = 1024 * 1024;

    public static IEndpointRouteBuilder MapSlack(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (!app.ServiceProvider.GetRequiredService<IOptions<SlackOptions>>().Value.Enabled)
        {
            return app;
        }

        // The handlers are singletons: resolved once here, so a request never opens a DI scope.
        var services = app.ServiceProvider;
        var verifier = services.GetRequiredService<SlackSignatureVerifier>();
        var events = services.GetRequiredService<SlackEventHandler>();
        var commands = services.GetRequiredService<SlashCommandHandler>();
        var interactions = services.GetRequiredService<SlackInteractionHandler>();
        var workspaces = services.GetRequiredService<SlackWorkspaceGate>();
        app.MapPost("/slack/events", context => EventsAsync(context, verifier, events));
        app.MapPost("/slack/commands", context => CommandsAsync(context, verifier, commands, workspaces));
        app.MapPost("/slack/interactions", context => InteractionsAsync(context, verifier, interactions));
        return app;
    }

    internal static async Task EventsAsync(HttpContext context, SlackSignatureVerifier verifier, SlackEventHandler handler)
    {
        using var body = await ReadVerifiedAsync(context, verifier);
        if (body.IsRefused)
        {
            return;
        }

        using var document = ParseObject(body.Memory);
        if (document is null)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        var result = await handler.HandleAsync(document.RootElement, context.RequestAborted);
        if (result.Outcome == EventOutcome.RateLimited)
        {
            // Slack retries a delivery that was not answered 200 (up to three times, backing off), so the
            // event is deferred, not lost.
            context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            context.Response.Headers.RetryAfter = "60";
            return;
        }

        context.Response.StatusCode = StatusCodes.Status200OK;
        if (result.Outcome == EventOutcome.Challenge)
        {
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync(result.Challenge!, context.RequestAborted);
        }
    }

    /// <summary>The body as a JSON object; null (answered with 400) when it is malformed or not an object.</summary>
    private static JsonDocument? ParseObject(ReadOnlyMemory<byte> utf8)
    {
        try
        {
            var document = JsonDocument.Parse(utf8);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                return document;
            }

            document.Dispose();
            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    internal static async Task CommandsAsync(HttpContext context, SlackSignatureVerifier verifier, SlashCommandHandler handler, SlackWorkspaceGate workspaces)
    {
        using var body = await ReadVerifiedAsync(context, verifier);
        if (body.IsRefused)
        {
            return;
        }

        var form = QueryHelpers.ParseQuery(Encoding.UTF8.GetString(body.Span));
        if (Field(form, "ssl_check") == "1")
        {
            context.Response.StatusCode = StatusCodes.Status200OK;
            return;
        }

        var command = new SlashCommand(
            Field(form, "command") ?? string.Empty,
            Field(form, "text") ?? string.Empty,
            Field(form, "user_id") ?? string.Empty,
            Field(form, "channel_id") ?? string.Empty,
            Field(form, "team_id"),
            Field(form, "response_url"),
            Field(form, "trigger_id"),
            Field(form, "enterprise_id"));
        var response = await workspaces.RefuseCommandAsync(command, context.RequestAborted) ?? await handler.HandleAsync(command, context.RequestAborted);
        if (response.IsNone)
        {
            context.Response.StatusCode = StatusCodes.Status200OK;
            return;
        }

        await WriteJsonAsync(context, response.ToJson().ToJsonString());
    }

    internal static async Task InteractionsAsync(HttpContext context, SlackSignatureVerifier verifier, SlackInteractionHandler handler)
    {
        using var body = await ReadVerifiedAsync(context, verifier);
        if (body.IsRefused)
        {
            return;
        }

        var form = QueryHelpers.ParseQuery(Encoding.UTF8.GetString(body.Span));
        if (Field(form, "payload") is not { } payload)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        using var document = ParseObject(Encoding.UTF8.GetBytes(payload));
        if (document is null)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        var response = await handler.HandleAsync(document.RootElement, context.RequestAborted);
        if (response is null)
        {
            // An empty 200 acknowledges; for a view_submission it also closes the modal.
            context.Response.StatusCode = StatusCodes.Status200OK;
            return;
        }

        await WriteJsonAsync(context, response.ToJsonString());
    }

    /// <summary>The raw body if it is within the limit and carries a valid signature; otherwise the status is set and the body refused.</summary>
    internal static async ValueTask<SlackRequestBody> ReadVerifiedAsync(HttpContext context, SlackSignatureVerifier verifier)
    {
        var request = context.Request;
        if (request.ContentLength > MaxBodyBytes)
        {
            context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            return SlackRequestBody.Refused;
        }

        var body = await ReadBodyAsync(context);
        if (body.IsRefused)
        {
            return body;
        }

        SignatureCheck check;
        using (var activity = SupportBot.Core.Telemetry.SupportBotTelemetry.Source.StartActivity("supportbot.verify"))
        {
            check = verifier.Verify(
                request.Headers[SlackSignatureVerifier.TimestampHeader].ToString(),
                request.Headers[SlackSignatureVerifier.SignatureHeader].ToString(),
                body.Span);
            activity?.SetTag("supportbot.surface", "slack");
            activity?.SetTag("supportbot.signature", check.ToString());
        }

        if (check != SignatureCheck.Valid)
        {
            body.Dispose();
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return SlackRequestBody.Refused;
        }

        return body;
    }

    /// <summary>The whole body (not yet verified), or refused with 400 or 413 when it is truncated or too large.</summary>
    private static async ValueTask<SlackRequestBody> ReadBodyAsync(HttpContext context)
    {
        var request = context.Request;
        var body = SlackRequestBody.Refused;
        try
        {
            if (request.ContentLength is { } length)
            {
                body = SlackRequestBody.Rent((int)length);
                await request.Body.ReadExactlyAsync(body.Memory, context.RequestAborted);
                return body;
            }

            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer, context.RequestAborted);
            if (buffer.Length > MaxBodyBytes)
            {
                context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
                return SlackRequestBody.Refused;
            }

            return SlackRequestBody.Of(buffer.ToArray());
        }
        catch (BadHttpRequestException ex)
        {
            // Kestrel's own body limit (413) or a truncated body (400).
            body.Dispose();
            context.Response.StatusCode = ex.StatusCode;
            return SlackRequestBody.Refused;
        }
        catch (EndOfStreamException)
        {
            body.Dispose();
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return SlackRequestBody.Refused;
        }
    }

    private static string? Field(Dictionary<string, StringValues> form, string name) =>
        form.TryGetValue(name, out var value) && !StringValues.IsNullOrEmpty(value) ? value.ToString() : null;

    private static Task WriteJsonAsync(HttpContext context, string json)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json; charset=utf-8";
        return context.Response.WriteAsync(json, context.RequestAborted);
    }
}
