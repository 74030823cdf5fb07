using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SupportBot.Core.Configuration;
using SupportBot.Core.Conversations;

namespace SupportBot.Core.Channels;

/// <summary>
/// The channels settings in force, on every replica: a version saved from the admin page (shared through the state
/// store) when there is one, else <c>Channels:File</c>. The file is read at start (an invalid file stops the start,
/// like any configuration error); both are checked every <c>Channels:ReloadInterval</c>. A changed, valid version
/// applies at once; a changed, invalid one is logged and the last good version stays.
/// </summary>
public sealed partial class ChannelDirectory(IOptions<ChannelOptions> options, ISharedDocuments shared, TimeProvider time, ILogger<ChannelDirectory> logger) : BackgroundService
{
    /// <summary>The shared document's name.</summary>
    public const string DocumentName = "channels";

    private readonly SemaphoreSlim _reloading = new(1, 1);
    private volatile ChannelsFile? _current;
    private readonly WatchedFile? _file = string.IsNullOrWhiteSpace(options.Value.File) ? null : new WatchedFile(options.Value.File);
    private long _savedVersion;

    public ChannelsFile Current => _current ??= LoadFileOrEmpty();

    /// <summary>The saved version in force, or null when the file (or nothing) is.</summary>
    public long? SavedVersion => _savedVersion == 0 ? null : _savedVersion;

    /// <summary>The policy of the channel <paramref name="conversation"/> is in.</summary>
    public ChannelPolicy For(ConversationRef conversation) => Current.For(ChannelPolicy.IdOf(conversation));

    /// <summary>Applies a newer saved version, or a changed file when nothing is saved. True when a new version applied.</summary>
    public async Task<bool> ReloadAsync(CancellationToken cancellationToken)
    {
        await _reloading.WaitAsync(cancellationToken);
        try
        {
            return await ReloadOnceAsync(cancellationToken);
        }
        finally
        {
            _reloading.Release();
        }
    }

    public override void Dispose()
    {
        _reloading.Dispose();
        base.Dispose();
    }

    private async Task<bool> ReloadOnceAsync(CancellationToken cancellationToken)
    {
        SharedDocument? saved;
        try
        {
            saved = await shared.GetAsync(DocumentName, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogStoreUnreachable(logger, ex.GetType().Name);
            return false;
        }

        if (saved is not null)
        {
            if (saved.Version == _savedVersion)
            {
                return false;
            }

            _savedVersion = saved.Version;
            try
            {
                _current = ChannelsFile.Parse(saved.Text);
                LogApplied(logger, "the admin page", _current.Channels.Count);
                return true;
            }
            catch (ChannelsFileException ex)
            {
                LogInvalid(logger, ex.Message);
                return false;
            }
        }

        if (_savedVersion != 0)
        {
            _savedVersion = 0;
            _file?.Forget(); // reverted: the file applies again
            _current = ChannelsFile.Empty;
        }

        return ReloadFile();
    }

    private bool ReloadFile()
    {
        if (_file is null || !_file.TakeChange())
        {
            return false;
        }

        try
        {
            _current = ChannelsFile.Load(_file.Path);
            LogApplied(logger, "the channels file", _current.Channels.Count);
            return true;
        }
        catch (ChannelsFileException ex)
        {
            LogInvalid(logger, ex.Message);
            return false;
        }
    }

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        _ = Current;
        await ReloadAsync(cancellationToken); // a saved version applies before the first message
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.ReloadInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await ReloadAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private ChannelsFile LoadFileOrEmpty()
    {
        if (_file is null)
        {
            return ChannelsFile.Empty;
        }

        _file.MarkRead();
        return ChannelsFile.Load(_file.Path);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Channel settings from {Source} applied: {Channels} channels configured")]
    private static partial void LogApplied(ILogger logger, string source, int channels);

    [LoggerMessage(Level = LogLevel.Error, Message = "Changed channel settings were not applied, the previous version stays in force: {Problem}")]
    private static partial void LogInvalid(ILogger logger, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read saved channel settings ({Error}); the settings in force stay")]
    private static partial void LogStoreUnreachable(ILogger logger, string error);
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
