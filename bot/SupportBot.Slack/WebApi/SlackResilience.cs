using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.Retry;

namespace SupportBot.Slack.WebApi;

/// <summary>
/// How Web API calls are retried: HTTP 429 waits for <c>Retry-After</c> (Slack's rate-limit contract),
/// 5xx and connection failures back off exponentially, and an HTTP 200 whose body is a transient
/// <c>ok:false</c> (<c>ratelimited</c>, <c>internal_error</c>, …) is retried too. Other errors are final,
/// and so is every error of a request marked <see cref="SingleAttempt"/>.
/// </summary>
internal static class SlackResilience
{
    public const int MaxRetries = 3;

    /// <summary>Set on a request that must not be retried (an edit a newer one supersedes).</summary>
    public static readonly HttpRequestOptionsKey<bool> SingleAttempt = new("supportbot.slack.single-attempt");

    public static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> pipeline)
    {
        pipeline.AddRetry(new HttpRetryStrategyOptions
        {
            MaxRetryAttempts = MaxRetries,
            BackoffType = DelayBackoffType.Exponential,
            Delay = TimeSpan.FromSeconds(1),
            UseJitter = true,
            ShouldRetryAfterHeader = true,
            ShouldHandle = ShouldRetryAsync,
        });
        pipeline.AddTimeout(TimeSpan.FromSeconds(15));
    }

    internal static async ValueTask<bool> ShouldRetryAsync(RetryPredicateArguments<HttpResponseMessage> args)
    {
        if (args.Context.GetRequestMessage()?.Options.TryGetValue(SingleAttempt, out var single) == true && single)
        {
            return false;
        }

        if (args.Outcome.Exception is not null)
        {
            return args.Outcome.Exception is HttpRequestException or Polly.Timeout.TimeoutRejectedException;
        }

        var response = args.Outcome.Result;
        if (response is null)
        {
            return false;
        }

        if (response.StatusCode == HttpStatusCode.TooManyRequests || (int)response.StatusCode >= 500)
        {
            return true;
        }

        if (!response.IsSuccessStatusCode)
        {
            return false;
        }

        // Buffered here; the client reads the same bytes afterwards.
        var body = await response.Content.ReadAsByteArrayAsync(args.Context.CancellationToken);
        return SlackErrors.IsRetryable(ErrorOf(body));
    }

    internal static string? ErrorOf(ReadOnlySpan<byte> body)
    {
        try
        {
            var reader = new Utf8JsonReader(body);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isError = reader.ValueTextEquals("error"u8);
                reader.Read();
                if (isError && reader.TokenType == JsonTokenType.String)
                {
                    return reader.GetString();
                }

                reader.Skip();
            }
        }
        catch (JsonException)
        {
        }

        return null;
    }
}
