using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Extensions.FileProviders;
using SupportBot.Core.Configuration;
using SupportBot.Host.Endpoints;
using SupportBot.Host.Observability;
using SupportBot.Host.Web;
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
    /// <param name="overrides">Registrations that replace the composed ones (tests give the host a clock they move).</param>
    public static WebApplication Create(string[] args, Action<IServiceCollection>? overrides = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.AddSupportBot(serving: true);
        builder.AddSupportBotTelemetry();
        builder.AddSupportBotWebAccess(PlatformsOf(builder.Configuration));
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, HostJson.Default));
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = MaxRequestBodyBytes;
        });
        if (!ListeningIsConfigured(builder.Configuration))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        overrides?.Invoke(builder.Services);

        var app = builder.Build();
        app.UseExceptionHandler(errors => errors.Run(WriteErrorAsync));
        app.UseSupportBotWebAccess();

        // Only the pages' scripts, styles and icons are static; the pages themselves go through their endpoints' access rules.
        var assets = Path.Combine(AppContext.BaseDirectory, "wwwroot", "assets");
        app.UseStaticFiles(new StaticFileOptions { FileProvider = new PhysicalFileProvider(assets), RequestPath = "/assets" });
        app.MapHealth();
        app.MapSession();
        app.MapChat();
        app.MapDashboard();
        app.MapChannelSettings();
        app.MapArticleReview();
        app.MapAnalytics();
        app.MapSlack();
        app.MapTeams();
        return app;
    }

    /// <summary>
    /// True when the deployment says where to listen, the ways ASP.NET Core reads it: <c>--urls</c> or
    /// <c>ASPNETCORE_URLS</c>, <c>ASPNETCORE_HTTP_PORTS</c> / <c>ASPNETCORE_HTTPS_PORTS</c> (set by the .NET container
    /// images), or <c>Kestrel:Endpoints</c>. Only when none is given does the host take its local default.
    /// </summary>
    internal static bool ListeningIsConfigured(IConfiguration configuration) =>
        !string.IsNullOrEmpty(configuration["urls"])
        || !string.IsNullOrEmpty(configuration["http_ports"])
        || !string.IsNullOrEmpty(configuration["https_ports"])
        || configuration.GetSection("Kestrel:Endpoints").GetChildren().Any();

    private static PlatformConnections PlatformsOf(IConfiguration configuration) => SupportBotComposition.PlatformsOf(configuration);

    private static Task WriteErrorAsync(HttpContext context)
    {
        var error = context.Features.Get<IExceptionHandlerFeature>()?.Error;
        if (error is SupportBot.Core.Queue.InboundBacklogFullException or SupportBot.Core.Queue.InboundQueueClosedException)
        {
            // Not acknowledged: Slack and the Bot Framework retry a 503 later, and nothing queued was dropped.
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            context.Response.Headers.RetryAfter = "30";
            return context.Response.WriteAsJsonAsync(new ApiError("SupportBot is busy; try again in a moment."), HostJson.Default.ApiError);
        }

        var unavailable = error is StackExchange.Redis.RedisException or TimeoutException;
        context.Response.StatusCode = unavailable ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status500InternalServerError;
        return context.Response.WriteAsJsonAsync(
            new ApiError(unavailable ? "The state store is unavailable; try again shortly." : "Something went wrong."),
            HostJson.Default.ApiError);
    }
}
