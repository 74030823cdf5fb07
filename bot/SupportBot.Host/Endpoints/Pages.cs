namespace SupportBot.Host.Endpoints;

/// <summary>The host's HTML pages, served from <c>wwwroot</c> beside the program.</summary>
internal static class Pages
{
    public static IResult Serve(string file) =>
        Results.File(Path.Combine(AppContext.BaseDirectory, "wwwroot", file), "text/html; charset=utf-8");
}
