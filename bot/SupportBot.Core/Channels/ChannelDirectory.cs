using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SupportBot.Core.Conversations;

namespace SupportBot.Core.Channels;

/// <summary>
/// The channels file in force. Read at start (an invalid file stops the start, like any configuration error), then
/// checked every <c>Channels:ReloadInterval</c>: a changed, valid file applies at once on this replica (each replica
/// reads its own mount of the same file); a changed, invalid one is logged and the last good version stays.
/// </summary>
public sealed partial class ChannelDirectory(IOptions<ChannelOptions> options, TimeProvider time, ILogger<ChannelDirectory> logger) : BackgroundService
{
    private volatile ChannelsFile? _current;
    private DateTime _loadedVersion;

    public ChannelsFile Current => _current ??= LoadOrEmpty();

    /// <summary>The policy of the channel <paramref name="conversation"/> is in.</summary>
    public ChannelPolicy For(ConversationRef conversation) => Current.For(ChannelPolicy.IdOf(conversation));

    /// <summary>Reads the file again if it changed since it was last read. True when a new version applied.</summary>
    public bool Reload()
    {
        var path = options.Value.File;
        if (string.IsNullOrWhiteSpace(path))
        {
            return false;
        }

        DateTime version;
        try
        {
            version = File.GetLastWriteTimeUtc(path);
        }
        catch (IOException)
        {
            return false;
        }

        if (version == _loadedVersion && _current is not null)
        {
            return false;
        }

        try
        {
            var loaded = ChannelsFile.Load(path);
            _current = loaded;
            _loadedVersion = version;
            LogReloaded(logger, loaded.Channels.Count);
            return true;
        }
        catch (ChannelsFileException ex)
        {
            _loadedVersion = version; // not retried until it changes again
            LogInvalid(logger, ex.Message);
            return false;
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (string.IsNullOrWhiteSpace(options.Value.File))
        {
            return;
        }

        _ = Current;
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

    private ChannelsFile LoadOrEmpty()
    {
        var path = options.Value.File;
        if (string.IsNullOrWhiteSpace(path))
        {
            return ChannelsFile.Empty;
        }

        _loadedVersion = File.GetLastWriteTimeUtc(path);
        return ChannelsFile.Load(path);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Channels file loaded: {Channels} channels configured")]
    private static partial void LogReloaded(ILogger logger, int channels);

    [LoggerMessage(Level = LogLevel.Error, Message = "The changed channels file was not applied, the previous version stays in force: {Problem}")]
    private static partial void LogInvalid(ILogger logger, string problem);
}

/// <summary>Checks <c>Channels:File</c> at start: a file that cannot be read or parsed stops the start with its reason.</summary>
internal sealed class ChannelOptionsValidator : IValidateOptions<ChannelOptions>
{
    public ValidateOptionsResult Validate(string? name, ChannelOptions options)
    {
        if (options.ReloadInterval < TimeSpan.FromSeconds(1))
        {
            return ValidateOptionsResult.Fail($"Channels:ReloadInterval: must be at least a second (is {options.ReloadInterval}).");
        }

        if (string.IsNullOrWhiteSpace(options.File))
        {
            return ValidateOptionsResult.Success;
        }

        try
        {
            ChannelsFile.Load(options.File);
            return ValidateOptionsResult.Success;
        }
        catch (ChannelsFileException ex)
        {
            return ValidateOptionsResult.Fail($"Channels:File: {ex.Message}");
        }
    }
}
