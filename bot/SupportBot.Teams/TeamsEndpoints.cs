using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SupportBot.Teams.Activities;
using SupportBot.Teams.Auth;

namespace SupportBot.Teams;

/// <summary><c>POST /api/messages</c>: Bot Framework activities (docs/configuration.md).</summary>
public static class TeamsEndpoints
{
    public const string Route = "/api/messages";

    /// <summary>Maps the Bot Framework endpoint when Teams is enabled (<c>Teams:AppId</c> set).</summary>
    public static IEndpointRouteBuilder MapTeams(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var services = app.ServiceProvider;
        if (services.GetRequiredService<IOptions<TeamsOptions>>().Value.Enabled)
        {
            // Singletons, resolved once here: a request never opens a DI scope.
            var authenticator = services.GetRequiredService<BotFrameworkAuthenticator>();
            var handler = services.GetRequiredService<TeamsActivityHandler>();
            var policy = services.GetRequiredService<TeamsAccessPolicy>();
            app.MapPost(Route, context => HandleAsync(context, authenticator, policy, handler));
        }

        return app;
    }

    /// <summary>Token → parse → activity checks → gateway → answer. Nothing is processed before all checks pass.</summary>
    private static async Task HandleAsync(HttpContext context, BotFrameworkAuthenticator authenticator, TeamsAccessPolicy policy, TeamsActivityHandler handler)
    {
        var cancellationToken = context.RequestAborted;

        BotFrameworkIdentity? identity;
        using (var verify = SupportBot.Core.Telemetry.SupportBotTelemetry.Source.StartActivity("supportbot.verify"))
        {
            identity = await authenticator.AuthenticateAsync(context.Request.Headers.Authorization.ToString(), cancellationToken);
            verify?.SetTag("supportbot.surface", "teams");
            verify?.SetTag("supportbot.signature", identity is null ? "Invalid" : "Valid");
        }

        if (identity is null)
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        Activity? activity;
        try
        {
            activity = await JsonSerializer.DeserializeAsync(context.Request.Body, TeamsJson.Default.Activity, cancellationToken);
        }
        catch (Exception ex) when (ex is JsonException or BadHttpRequestException)
        {
            // Malformed JSON, or a body shorter than its Content-Length.
            context.Response.StatusCode = ex is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status400BadRequest;
            return;
        }

        if (activity?.Type is null)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        if (!authenticator.Authorize(identity, activity))
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        // 403 for a tenant, channel or service host we do not serve (the channel does not retry a 4xx);
        // 429 with Retry-After for a tenant over its rate, which the channel retries later.
        if (policy.Check(identity, activity) is var status and not StatusCodes.Status200OK)
        {
            context.Response.StatusCode = status;
            if (status == StatusCodes.Status429TooManyRequests)
            {
                context.Response.Headers.RetryAfter = "60";
            }

            return;
        }

        var result = await handler.HandleAsync(activity, cancellationToken);
        context.Response.StatusCode = result.StatusCode;
        if (result.Raw is { } raw)
        {
            context.Response.ContentType = "application/json; charset=utf-8";
            await context.Response.WriteAsync(raw.ToJsonString(), cancellationToken);
        }
        else if (result.Body is { } body)
        {
            await context.Response.WriteAsJsonAsync(body, TeamsJson.Default.AdaptiveCardInvokeResponse, cancellationToken: cancellationToken);
        }
    }
}
