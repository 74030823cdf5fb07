using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using SupportBot.Host.Web;

namespace SupportBot.Host.Endpoints;

/// <summary>Who is signed in, what they may use, and the antiforgery token their page sends with posts.</summary>
public sealed record SessionInfo(bool SignedIn, string? Name, bool Chat, bool Dashboard, string? Antiforgery);

/// <summary><c>GET /api/session</c> and <c>POST /auth/signout</c>.</summary>
public static class SessionEndpoints
{
    public static IEndpointRouteBuilder MapSession(this IEndpointRouteBuilder app)
    {
        var access = app.ServiceProvider.GetRequiredService<WebAccess>();
        if (!access.Chat && !access.Dashboard)
        {
            return app;
        }

        app.MapGet("/api/session", GetAsync).Protect(access, WebAccess.AgentPolicyOrOps);
        if (access.SignIn)
        {
            app.MapPost("/auth/signout", SignOutAsync).RequireAuthorization().RequireAntiforgeryHeader(access);
        }

        return app;
    }

    internal static async Task<IResult> GetAsync(HttpContext context, WebAccess access, IServiceProvider services)
    {
        if (!access.SignIn)
        {
            return Results.Ok(new SessionInfo(false, null, access.Chat, access.Dashboard, null));
        }

        var authorization = services.GetRequiredService<IAuthorizationService>();
        var chat = access.Chat && (await authorization.AuthorizeAsync(context.User, WebAccess.AgentPolicy)).Succeeded;
        var dashboard = access.Dashboard && (await authorization.AuthorizeAsync(context.User, WebAccess.OpsPolicy)).Succeeded;
        var tokens = services.GetRequiredService<IAntiforgery>().GetAndStoreTokens(context);
        return Results.Ok(new SessionInfo(true, WebUser.From(context.User)?.Name, chat, dashboard, tokens.RequestToken));
    }

    private static async Task<IResult> SignOutAsync(HttpContext context, WebAccess access)
    {
        await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return Results.Ok(new SessionInfo(false, null, access.Chat, access.Dashboard, null));
    }
}
