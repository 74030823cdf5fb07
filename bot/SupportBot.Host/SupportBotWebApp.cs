using Microsoft.AspNetCore.Diagnostics;
using SupportBot.Host.Endpoints;
using SupportBot.Slack;
using SupportBot.Teams;

namespace SupportBot.Host;

/// <summary>The <c>serve</c> host: Kestrel, the chat surfaces' endpoints, the web chat and the dashboard.</summary>
public static class SupportBotWebApp
{
    public const string DefaultUrl = "http://localhost:5080";

    // Slack and Bot Framework payloads are small; anything bigger is refused with 413 before it is read.
    private const long MaxRequestBodyBytes = 1024 * 1024;

    /// <param name="args">Configuration from the command line (<c>--urls</c>, <c>--Redis:Configuration=…</c>).</param>
    public static WebApplication Create(string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.AddSupportBot(serving: true);
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, HostJson.Default));
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = MaxRequestBodyBytes;
        });
        if (string.IsNullOrEmpty(builder.Configuration["urls"]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        var app = builder.Build();
        app.UseExceptionHandler(errors => errors.Run(WriteErrorAsync));
        app.UseStaticFiles();
        app.MapHealth();
        app.MapChat();
        app.MapDashboard();
        app.MapSlack();
        app.MapTeams();
        return app;
    }

    private static Task WriteErrorAsync(HttpContext context)
    {
        var error = context.Features.Get<IExceptionHandlerFeature>()?.Error;
        var unavailable = error is StackExchange.Redis.RedisException or TimeoutException;
        context.Response.StatusCode = unavailable ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status500InternalServerError;
        return context.Response.WriteAsJsonAsync(
            new ApiError(unavailable ? "The state store is unavailable; try again shortly." : "Something went wrong."),
            HostJson.Default.ApiError);
    }
}
