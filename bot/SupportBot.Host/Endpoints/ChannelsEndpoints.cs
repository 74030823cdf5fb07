using SupportBot.Core.Audit;
using SupportBot.Core.Channels;
using SupportBot.Core.Configuration;
using SupportBot.Host.Web;

namespace SupportBot.Host.Endpoints;

/// <summary>One channel's settings as the admin page lists them.</summary>
public sealed record ChannelRow(string Id, string? Name, string Mode, IReadOnlyList<string> Areas, bool Private, IReadOnlyList<string> AllowedGroups, string? UnansweredTag, int? DailyCap)
{
    public IReadOnlyList<string> Sources { get; init; } = [];
}

/// <summary>The channel settings in force: where they come from (<c>file</c>, <c>saved</c>, <c>none</c>), their text, and the channels they set.</summary>
public sealed record ChannelSettings(string Source, string Text, string? SavedBy, DateTimeOffset? SavedAt, ChannelRow Defaults, IReadOnlyList<ChannelRow> Channels);

/// <summary>A new version of the channel settings (YAML, the channels file's format).</summary>
public sealed record ChannelSettingsUpdate(string? Text);

/// <summary>
/// The channel settings admin page at <c>/channels</c> (support-ops leads: <see cref="WebAccess.OpsPolicy"/>): read the
/// settings in force, save a new version (checked first; every replica applies it within <c>Channels:ReloadInterval</c>),
/// or revert to <c>Channels:File</c>. Saves and reverts go to the audit trail.
/// </summary>
public static class ChannelsEndpoints
{
    /// <summary>The largest settings text accepted.</summary>
    public const int MaxText = 256 * 1024;

    public static IEndpointRouteBuilder MapChannelSettings(this IEndpointRouteBuilder app)
    {
        var access = app.ServiceProvider.GetRequiredService<WebAccess>();
        if (!access.Dashboard)
        {
            return app;
        }

        app.MapGet("/channels", () => Pages.Serve("channels.html")).Protect(access, WebAccess.OpsPolicy);
        app.MapGet("/api/channels", GetAsync).Protect(access, WebAccess.OpsPolicy);
        app.MapPut("/api/channels", SaveAsync).Protect(access, WebAccess.OpsPolicy).RequireAntiforgeryHeader(access);
        app.MapDelete("/api/channels", RevertAsync).Protect(access, WebAccess.OpsPolicy).RequireAntiforgeryHeader(access);
        return app;
    }

    internal static async Task<IResult> GetAsync(ChannelDirectory channels, ISharedDocuments shared, Microsoft.Extensions.Options.IOptions<ChannelOptions> options, CancellationToken cancellationToken)
    {
        var saved = await shared.GetAsync(ChannelDirectory.DocumentName, cancellationToken);
        var file = options.Value.File;
        var (source, text) = saved is not null ? ("saved", saved.Text)
            : !string.IsNullOrWhiteSpace(file) ? ("file", await File.ReadAllTextAsync(file, cancellationToken))
            : ("none", string.Empty);
        var current = channels.Current;
        return Results.Ok(new ChannelSettings(source, text, saved?.SavedBy, saved?.SavedAt, Row(current.Defaults), [.. current.Channels.OrderBy(c => c.Id, StringComparer.Ordinal).Select(Row)]));
    }

    internal static async Task<IResult> SaveAsync(ChannelSettingsUpdate update, HttpContext context, ChannelDirectory channels, ISharedDocuments shared, IAuditTrail audit, TimeProvider time, Microsoft.Extensions.Options.IOptions<ChannelOptions> options, CancellationToken cancellationToken)
    {
        if (update.Text is null || update.Text.Length > MaxText)
        {
            return Results.BadRequest(new ApiError($"text is the channel settings in YAML, at most {MaxText / 1024} KB."));
        }

        try
        {
            ChannelsFile.Parse(update.Text);
        }
        catch (ChannelsFileException ex)
        {
            return Results.BadRequest(new ApiError($"Not saved: {ex.Message}"));
        }

        var user = WebUser.From(context.User);
        var by = user?.Name ?? "local";
        var saved = await shared.SaveAsync(ChannelDirectory.DocumentName, update.Text, by, cancellationToken);
        await channels.ReloadAsync(cancellationToken);
        await RecordAsync(audit, time, user, "channels.save", $"version {saved.Version}", cancellationToken);
        return await GetAsync(channels, shared, options, cancellationToken);
    }

    internal static async Task<IResult> RevertAsync(HttpContext context, ChannelDirectory channels, ISharedDocuments shared, IAuditTrail audit, TimeProvider time, Microsoft.Extensions.Options.IOptions<ChannelOptions> options, CancellationToken cancellationToken)
    {
        await shared.DeleteAsync(ChannelDirectory.DocumentName, cancellationToken);
        await channels.ReloadAsync(cancellationToken);
        await RecordAsync(audit, time, WebUser.From(context.User), "channels.revert", "Channels:File", cancellationToken);
        return await GetAsync(channels, shared, options, cancellationToken);
    }

    private static Task RecordAsync(IAuditTrail audit, TimeProvider time, WebUser? user, string action, string subject, CancellationToken cancellationToken) =>
        audit.RecordAsync(new AuditEntry(time.GetUtcNow(), action, "web", user?.Tenant ?? string.Empty, user?.Id ?? "local", user?.Name ?? "local", subject, "/channels", "done"), cancellationToken);

    private static ChannelRow Row(ChannelPolicy policy) => new(
        policy.Id, policy.Name, policy.Mode.ToString().ToLowerInvariant(), policy.Areas, policy.Private, policy.AllowedGroups, policy.UnansweredTag, policy.DailyCap)
    {
        Sources = policy.Sources,
    };
}
