using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SupportBot.Slack.WebApi;

namespace SupportBot.Slack;

/// <summary>
/// The bot's own user and bot ids, learnt with <c>auth.test</c> at start. Needed to ignore its own
/// messages and strip its mention; until known, events fall back to their <c>authorizations</c>.
/// </summary>
internal sealed partial class SlackBotIdentity(SlackApiClient api, ILogger<SlackBotIdentity> logger) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public SlackIdentity? Current { get; private set; }

    public async Task<SlackIdentity?> EnsureAsync(CancellationToken cancellationToken)
    {
        if (Current is not null)
        {
            return Current;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (Current is null)
            {
                Current = await api.AuthTestAsync(cancellationToken);
                LogIdentified(logger, Current.UserId, Current.BotId);
            }

            return Current;
        }
        catch (Exception ex) when (ex is SlackApiException or HttpRequestException)
        {
            LogAuthFailed(logger, ex);
            return null;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    [LoggerMessage(Level = LogLevel.Information, Message = "Slack: signed in as bot user {UserId} (bot {BotId})")]
    private static partial void LogIdentified(ILogger logger, string userId, string? botId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Slack: auth.test failed; check Slack:BotToken")]
    private static partial void LogAuthFailed(ILogger logger, Exception exception);
}

/// <summary>Learns the bot's identity when the host starts (failures are logged, not fatal: other surfaces keep serving).</summary>
internal sealed class SlackStartup(SlackBotIdentity identity) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => identity.EnsureAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
