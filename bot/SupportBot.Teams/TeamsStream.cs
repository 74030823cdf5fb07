using System.Net;
using Microsoft.Extensions.Logging;
using SupportBot.Core.Conversations;
using SupportBot.Core.Surfaces;
using SupportBot.Teams.Activities;
using SupportBot.Teams.Cards;
using SupportBot.Teams.Connector;

namespace SupportBot.Teams;

internal sealed partial class TeamsSurface
{
    /// <summary>
    /// A Teams stream (https://learn.microsoft.com/microsoftteams/platform/bots/streaming-ux), after its informative update
    /// (sequence 1) was answered with the stream id: each update is a <c>typing</c> activity carrying the whole text so far
    /// with <c>streaminfo</c> (<c>streamId</c>, <c>streamType: streaming</c>, <c>streamSequence</c> 2, 3…), posted once
    /// (a newer one supersedes it; 429 waits for <c>Retry-After</c>, <see cref="ReplyThrottledException"/>); the final
    /// answer is a <c>message</c> with <c>streamType: final</c> and no sequence, carrying the citations, the AI label, the
    /// feedback buttons and the card, retried like any message. The pace (<see cref="Interval"/>, at least a second between
    /// requests, counted from Teams' answer) is kept by <see cref="PacedStreamingReply"/>.
    /// </summary>
    /// <remarks>
    /// Teams ends a stream that is not finished within two minutes, so updates stop <see cref="FinalReserve"/> before then
    /// and the final message goes out in the stream. A refusal (403 <c>ContentStreamNotAllowed</c>: streaming not allowed,
    /// the stream timed out or is already complete, the message too large) stops the updates, and the final answer is
    /// posted as a message of its own; when the person pressed Stop ("cancelled by user") nothing more is sent.
    /// </remarks>
    private sealed partial class TeamsStream(TeamsSurface surface, InboundMessage message, IReadOnlyDictionary<string, string> data, string streamId, bool resumed)
        : IStreamingReply
    {
        public const string Informative = "informative";
        public const string Streaming = "streaming";
        public const string Final = "final";
        public const string NotAllowed = "ContentStreamNotAllowed";

        /// <summary>Teams' limit on a stream, from its first request to its final message.</summary>
        public static readonly TimeSpan MaxDuration = TimeSpan.FromMinutes(2);

        /// <summary>Updates stop this long before <see cref="MaxDuration"/>, so the final message still ends the stream.</summary>
        public static readonly TimeSpan FinalReserve = TimeSpan.FromSeconds(15);

        private readonly DateTimeOffset _started = surface.Time.GetUtcNow();
        private readonly Lock _gate = new();

        // The informative update was 1. A resumed stream does not know how far it got, so it sends no updates.
        private int _sequence = 2;
        private readonly bool _resumed = resumed;
        private bool _refused = resumed;
        private bool _stoppedByUser;
        private bool _updatesOver;

        public TimeSpan? Interval => surface.Options.StreamingInterval;

        public PostedReply? Posted { get; } = new(data[TeamsSurfaceData.ConversationId], streamId);

        public async Task UpdateAsync(string partialText, CancellationToken cancellationToken)
        {
            int sequence;
            lock (_gate)
            {
                if (_refused || _updatesOver || string.IsNullOrWhiteSpace(partialText))
                {
                    return;
                }

                if (surface.Time.GetUtcNow() - _started > MaxDuration - FinalReserve)
                {
                    // The rest waits for the final message, which still ends the stream if it comes within the two
                    // minutes (later, Teams refuses it and the answer goes out as a message of its own).
                    _updatesOver = true;
                    LogStreamTooLong(surface.Logger, MaxDuration.TotalSeconds);
                    return;
                }

                sequence = _sequence;
            }

            var update = Addressed(new Activity
            {
                Type = ActivityTypes.Typing,
                Text = partialText,
                Entities = [AiMessage.StreamInfo(streamId, Streaming, sequence)],
                ChannelData = AiMessage.StreamChannelData(null, streamId, Streaming, sequence),
            });
            try
            {
                await surface.Connector.SendToConversationOnceAsync(data[TeamsSurfaceData.ServiceUrl], data[TeamsSurfaceData.ConversationId], update, cancellationToken);
                Advance(sequence);
            }
            catch (ConnectorException ex) when (ex.StatusCode == HttpStatusCode.TooManyRequests)
            {
                // Not taken: the next update reuses the number and carries newer text.
                throw new ReplyThrottledException(ex.RetryAfter ?? Interval!.Value, ex);
            }
            catch (ConnectorException ex) when (IsRefusal(ex))
            {
                Refused(ex);
            }
            catch (ConnectorException)
            {
                Advance(sequence); // Teams may have taken it; a number is never sent twice
                throw;
            }
        }

        public async Task CompleteAsync(Reply reply, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(reply);
            bool refused;
            lock (_gate)
            {
                if (_stoppedByUser)
                {
                    LogStoppedByUser(surface.Logger);
                    return;
                }

                refused = _refused && !_resumed;
            }

            var mentions = await surface.MentionsAsync(reply, cancellationToken);
            if (!refused)
            {
                var final = Addressed(surface.Render(reply, mentions));
                final.Type = ActivityTypes.Message;
                final.Entities = [AiMessage.StreamInfo(streamId, Final, null), .. final.Entities ?? []];
                final.ChannelData = AiMessage.StreamChannelData(final.ChannelData, streamId, Final, null);
                try
                {
                    await surface.Connector.SendToConversationAsync(data[TeamsSurfaceData.ServiceUrl], data[TeamsSurfaceData.ConversationId], final, cancellationToken);
                    await surface.LinkAnswerAsync(reply, data[TeamsSurfaceData.ConversationId], streamId);
                    return;
                }
                catch (ConnectorException ex) when (IsRefusal(ex))
                {
                    Refused(ex);
                    if (_stoppedByUser)
                    {
                        LogStoppedByUser(surface.Logger);
                        return;
                    }
                }
            }

            // The stream is over without the answer: it goes out as a message of its own.
            LogFinalAsMessage(surface.Logger);
            var activity = Address(surface.Render(reply, mentions), message, data);
            await surface.PostAsync(reply, activity, data, cancellationToken);
        }

        private static bool IsRefusal(ConnectorException ex) =>
            ex.StatusCode == HttpStatusCode.Forbidden && (ex.ErrorCode is null || string.Equals(ex.ErrorCode, NotAllowed, StringComparison.OrdinalIgnoreCase));

        private void Refused(ConnectorException ex)
        {
            lock (_gate)
            {
                _refused = true;
                _stoppedByUser |= ex.ErrorMessage?.Contains("cancelled by user", StringComparison.OrdinalIgnoreCase) == true
                    || ex.ErrorMessage?.Contains("canceled by user", StringComparison.OrdinalIgnoreCase) == true;
            }

            LogRefused(surface.Logger, ex.ErrorCode ?? "-", ex.ErrorMessage ?? "-");
        }

        private void Advance(int sent)
        {
            lock (_gate)
            {
                _sequence = Math.Max(_sequence, sent + 1);
            }
        }

        /// <summary>Addressed like any reply, and carrying the stream's id as its own (as Microsoft's SDKs send stream activities).</summary>
        private Activity Addressed(Activity activity)
        {
            var addressed = Address(activity, message, data);
            addressed.Id = streamId;
            return addressed;
        }

        [LoggerMessage(Level = LogLevel.Information, Message = "Teams refused a streaming request ({Code}: {Reason}); the answer follows as its final message or a message of its own")]
        private static partial void LogRefused(ILogger logger, string code, string reason);

        [LoggerMessage(Level = LogLevel.Information, Message = "The person stopped the streamed answer in Teams; nothing more is sent")]
        private static partial void LogStoppedByUser(ILogger logger);

        [LoggerMessage(Level = LogLevel.Warning, Message = "A Teams stream neared its {Seconds} s limit; no more updates, the final message follows")]
        private static partial void LogStreamTooLong(ILogger logger, double seconds);

        [LoggerMessage(Level = LogLevel.Information, Message = "A Teams stream ended without its final message; the answer is posted as a message of its own")]
        private static partial void LogFinalAsMessage(ILogger logger);
    }
}
