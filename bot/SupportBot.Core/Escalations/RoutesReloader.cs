using SupportBot.Core.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace SupportBot.Core.Escalations;

/// <summary>
/// Checks <c>Escalation:RoutesFile</c> every <c>Escalation:ReloadInterval</c>: a changed, valid file replaces the routes
/// in force on this replica (each replica reads its own mount of the same file); a changed, invalid one is logged and
/// the last good routes stay. Escalations already open keep their team; a team no longer routed keeps its thread.
/// </summary>
internal sealed partial class RoutesReloader(EscalationRoutes routes, IOptions<EscalationOptions> options, TimeProvider time, ILogger<RoutesReloader> logger) : BackgroundService
{
    private WatchedFile? _file;

    /// <summary>Reads the file again if it changed. True when new routes applied.</summary>
    public bool Reload()
    {
        var path = options.Value.RoutesFile;
        if (string.IsNullOrWhiteSpace(path))
        {
            return false; // the built-in samples never change
        }

        _file ??= new WatchedFile(path);
        if (!_file.TakeChange())
        {
            return false;
        }

        try
        {
            routes.ReplaceWith(EscalationRoutes.Load(path));
            LogApplied(logger, routes.Routes.Count);
            return true;
        }
        catch (RoutesException ex)
        {
            LogInvalid(logger, ex.Message);
            return false;
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var path = options.Value.RoutesFile;
        if (string.IsNullOrWhiteSpace(path))
        {
            return;
        }

        _file = new WatchedFile(path);
        _file.MarkRead(); // the routes in force were read from this version at start
        using var timer = new PeriodicTimer(options.Value.ReloadInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                Reload();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Escalation routes file changed: {Routes} routes applied")]
    private static partial void LogApplied(ILogger logger, int routes);

    [LoggerMessage(Level = LogLevel.Error, Message = "The changed escalation routes file was not applied, the previous routes stay in force: {Problem}")]
    private static partial void LogInvalid(ILogger logger, string problem);
}
