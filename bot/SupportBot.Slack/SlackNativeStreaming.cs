using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SupportBot.Core.Surfaces;
using SupportBot.Slack.BlockKit;
using SupportBot.Slack.WebApi;

namespace SupportBot.Slack;

/// <summary>
/// Whether an answer may stream with Slack's own streaming methods (<c>chat.startStream</c>, <c>chat.appendStream</c>,
/// <c>chat.stopStream</c>): <c>Slack:NativeStreaming</c> is on and the workspace has not refused them lately. A
/// workspace that refuses them (the method unknown or retired, the token or the workspace not allowed) is remembered
/// for <see cref="RefusalMemory"/> on this replica, so its next answers edit a message in place without asking again.
/// </summary>
internal sealed partial class SlackNativeStreaming(IOptions<SlackOptions> options, TimeProvider time, ILogger<SlackNativeStreaming> logger)
{
    /// <summary>How long a workspace's refusal is remembered before streaming is tried there again.</summary>
    public static readonly TimeSpan RefusalMemory = TimeSpan.FromHours(1);

    // Errors that say this workspace or token cannot use the method at all (Slack's common errors, and the ones a
    // feature that is not enabled answers with); anything else (a channel the bot is not in, a rate limit) concerns
    // one answer only.
    private static readonly HashSet<string> Refusals = new(StringComparer.Ordinal)
    {
        "unknown_method",
        "method_deprecated",
        "deprecated_endpoint",
        "not_allowed_token_type",
        "missing_scope",
        "no_permission",
        "access_denied",
        "not_allowed",
        "feature_not_enabled",
        "feature_not_available",
        "team_not_allowed",
        "team_access_not_granted",
        "enterprise_is_restricted",
        "invalid_arg_name",
        "http_404",
    };

    private readonly ConcurrentDictionary<string, DateTimeOffset> _refused = new(StringComparer.Ordinal);

    public static bool IsRefusal(string error) => Refusals.Contains(error);

    /// <summary>True when <paramref name="workspace"/>'s answers may stream natively now.</summary>
    public bool Allowed(string workspace)
    {
        if (!options.Value.NativeStreaming)
        {
            return false;
        }

        if (_refused.TryGetValue(workspace, out var until))
        {
            if (time.GetUtcNow() < until)
            {
                return false;
            }

            _refused.TryRemove(new KeyValuePair<string, DateTimeOffset>(workspace, until));
        }

        return true;
    }

    public void Refuse(string workspace, string error)
    {
        _refused[workspace] = time.GetUtcNow() + RefusalMemory;
        LogRefused(logger, workspace, error, RefusalMemory.TotalMinutes);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack workspace {Workspace} refused native streaming ({Error}); its answers are edited in place for the next {Minutes} minutes")]
    private static partial void LogRefused(ILogger logger, string workspace, string error, double minutes);
}

/// <summary>
/// An answer streamed with Slack's streaming methods. The message starts with the first whole words
/// (<c>chat.startStream</c>), so an assistant thread's status shows until there is text; later text is appended
/// (<c>chat.appendStream</c>) at the pipeline's pace, once at least <see cref="MinAppend"/> characters of whole words
/// are waiting, which keeps the calls well inside the method's rate tier. The final reply is appended and the sources,
/// buttons and <c>feedback_buttons</c> go under it (<c>chat.stopStream</c> with <c>blocks</c>, the reply's mark in the
/// metadata). Appended text cannot be taken back: when the checked answer is not what was streamed (citations
/// renumbered, a link removed, a decline), the stopped message is replaced whole (<c>chat.update</c>).
/// When the workspace refuses the methods, the answer falls back to a message edited in place.
/// </summary>
internal sealed partial class SlackNativeStream(
    SlackApiClient api,
    SlackNativeStreaming streaming,
    SlackNativeStream.Target target,
    Func<string, System.Text.Json.Nodes.JsonArray?, CancellationToken, Task<SlackPosted>> postFallback,
    ILogger logger) : IStreamingReply
{
    /// <summary>Where and for whom: a thread, and outside a direct message the person the stream is for.</summary>
    internal sealed record Target(string Channel, string ThreadTs, string? RecipientUser, string? RecipientTeam, string Workspace, string? Mark);

    /// <summary>Characters of new whole words that wait for one <c>chat.appendStream</c>.</summary>
    public const int MinAppend = 32;

    private string? _ts;
    private string _sent = string.Empty;
    private bool _diverged;
    private IStreamingReply? _fallback;

    public PostedReply? Posted => _fallback?.Posted ?? (_ts is null ? null : new PostedReply(target.Channel, _ts));

    public async Task UpdateAsync(string partialText, CancellationToken cancellationToken)
    {
        if (_fallback is not null)
        {
            await _fallback.UpdateAsync(partialText, cancellationToken);
            return;
        }

        var stable = WholeWords(Markdown(partialText));
        if (_ts is null)
        {
            if (stable.Length == 0)
            {
                return;
            }

            try
            {
                _ts = await api.StartStreamAsync(target.Channel, target.ThreadTs, stable, target.RecipientUser, target.RecipientTeam, cancellationToken);
                _sent = stable;
            }
            catch (SlackApiException ex) when (ex.RateLimited)
            {
                throw new ReplyThrottledException(ex.RetryAfter ?? PacedStreamingReply.DefaultInterval, ex); // not started: the next update tries again
            }
            catch (Exception ex) when (ex is SlackApiException or HttpRequestException)
            {
                await FallBackAsync(ex, partialText, cancellationToken);
            }

            return;
        }

        if (_diverged)
        {
            return;
        }

        if (!stable.StartsWith(_sent, StringComparison.Ordinal))
        {
            _diverged = true; // the text changed behind what was shown: the final reply replaces it whole
            return;
        }

        var delta = stable[_sent.Length..];
        if (delta.Length < MinAppend)
        {
            return;
        }

        try
        {
            await api.AppendStreamAsync(target.Channel, _ts, delta, cancellationToken);
            _sent = stable;
        }
        catch (SlackApiException ex) when (ex.RateLimited)
        {
            throw new ReplyThrottledException(ex.RetryAfter ?? PacedStreamingReply.DefaultInterval, ex);
        }
    }

    public async Task CompleteAsync(Reply reply, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reply);
        if (_fallback is not null)
        {
            await _fallback.CompleteAsync(reply, cancellationToken);
            return;
        }

        var final = Markdown(reply.Text);
        var tail = SlackReplyRenderer.RenderTail(reply) is { Count: > 0 } blocks ? blocks : null;
        if (_ts is null)
        {
            // Nothing was shown yet (a short or declined answer): the stream starts with the whole text.
            try
            {
                _ts = await api.StartStreamAsync(target.Channel, target.ThreadTs, final, target.RecipientUser, target.RecipientTeam, cancellationToken);
                _sent = final;
            }
            catch (Exception ex) when (ex is SlackApiException or HttpRequestException)
            {
                await FallBackAsync(ex, text: null, cancellationToken);
                await _fallback!.CompleteAsync(reply, cancellationToken);
                return;
            }
        }

        var same = !_diverged && final.StartsWith(_sent, StringComparison.Ordinal);
        try
        {
            await api.StopStreamAsync(target.Channel, _ts, same ? final[_sent.Length..] : null, tail, target.Mark, cancellationToken);
            if (same)
            {
                return;
            }

            LogReplaced(logger);
        }
        catch (SlackApiException ex) when (!ex.RateLimited)
        {
            // The stream could not be ended (it expired on Slack's side): the message is finished by editing it.
            LogStopFailed(logger, ex.Error);
        }

        var whole = SlackReplyRenderer.RenderNative(reply);
        await api.UpdateMessageAsync(target.Channel, _ts, whole.Text, whole.Blocks, cancellationToken);
    }

    /// <summary>
    /// Edit in place from here on: a message is posted (with <paramref name="text"/> so far, carrying the reply's mark)
    /// and then edited; with no text yet, the final reply itself is posted by <see cref="CompleteAsync"/>'s fallback.
    /// </summary>
    private async Task FallBackAsync(Exception ex, string? text, CancellationToken cancellationToken)
    {
        var error = ex is SlackApiException slack ? slack.Error : ex.GetType().Name;
        if (SlackNativeStreaming.IsRefusal(error))
        {
            streaming.Refuse(target.Workspace, error);
        }
        else
        {
            LogFellBack(logger, error);
        }

        _fallback = new EditInPlaceFallback(api, postFallback);
        if (text is not null)
        {
            await _fallback.UpdateAsync(text, cancellationToken);
        }
    }

    /// <summary>Text for <c>markdown_text</c>: Slack's control characters escaped, so no answer can form a mention or a link.</summary>
    private static string Markdown(string text) => SlackText.Escape(text);

    /// <summary>The text up to its last whitespace: a word, a number or a link being typed may still change.</summary>
    private static string WholeWords(string text)
    {
        for (var i = text.Length - 1; i >= 0; i--)
        {
            if (char.IsWhiteSpace(text[i]))
            {
                return text[..(i + 1)];
            }
        }

        return string.Empty;
    }

    /// <summary>
    /// The edit-in-place fallback, begun lazily: the first update posts the message (through the surface's posting,
    /// which writes to the person directly where the bot may not post, with the reply's mark), later ones edit it.
    /// </summary>
    private sealed class EditInPlaceFallback(SlackApiClient api, Func<string, System.Text.Json.Nodes.JsonArray?, CancellationToken, Task<SlackPosted>> post) : IStreamingReply
    {
        private SlackSurface.StreamingMessage? _message;
        private PostedReply? _posted;

        public PostedReply? Posted => _posted;

        public async Task UpdateAsync(string partialText, CancellationToken cancellationToken)
        {
            if (_message is null)
            {
                await PostAsync(SlackText.Escape(partialText), null, cancellationToken);
                return;
            }

            await _message.UpdateAsync(partialText, cancellationToken);
        }

        public async Task CompleteAsync(Reply reply, CancellationToken cancellationToken)
        {
            if (_message is null)
            {
                // Nothing shown yet: the final reply is posted as it is.
                var rendered = SlackReplyRenderer.Render(reply);
                await PostAsync(rendered.Text, rendered.Blocks, cancellationToken);
                return;
            }

            await _message.CompleteAsync(reply, cancellationToken);
        }

        private async Task PostAsync(string text, System.Text.Json.Nodes.JsonArray? blocks, CancellationToken cancellationToken)
        {
            var posted = await post(text, blocks, cancellationToken);
            _posted = new PostedReply(posted.Channel, posted.Ts);
            _message = new SlackSurface.StreamingMessage(api, posted.Channel, posted.Ts);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Slack: the checked answer differs from the streamed text; the message is replaced whole")]
    private static partial void LogReplaced(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack: chat.stopStream failed ({Error}); the message is finished by editing it")]
    private static partial void LogStopFailed(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Slack: chat.startStream failed ({Error}); this answer is edited in place instead")]
    private static partial void LogFellBack(ILogger logger, string error);
}
