using Microsoft.AspNetCore.Antiforgery;
using SupportBot.Host.Endpoints;

namespace SupportBot.Host.Web;

/// <summary>
/// The chat's posts ride on the sign-in cookie, so a page elsewhere could try to post on a signed-in agent's
/// behalf: each post must carry the antiforgery token the page read from <c>/api/session</c>.
/// </summary>
internal static class AntiforgeryCheck
{
    public static async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var antiforgery = context.HttpContext.RequestServices.GetRequiredService<IAntiforgery>();
        try
        {
            await antiforgery.ValidateRequestAsync(context.HttpContext);
        }
        catch (AntiforgeryValidationException)
        {
            return Results.Json(new ApiError("The page's session token is missing or stale; reload the page."), HostJson.Default.ApiError, statusCode: StatusCodes.Status400BadRequest);
        }

        return await next(context);
    }
}
