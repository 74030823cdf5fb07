using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace SupportBot.Knowledge.Connectors;

/// <summary>
/// GET requests to a source, polite about limits: a 429 or 503 waits as long as its <c>Retry-After</c> says (seconds or
/// a date; without one, 2, 4, 8… seconds) and tries again, a network error or other 5xx is retried a few times with a
/// growing pause, and anything else is a <see cref="ConnectorException"/> naming the request (never the credentials).
/// Credentials go only to the source's own host, never to a link elsewhere.
/// </summary>
internal sealed class ConnectorHttp(HttpClient http, TimeProvider time, ISyncObserver observer, AuthenticationHeaderValue? authorization, Uri? authorizedHost, string? userAgent = null)
{
    public const string HttpClientName = "knowledge-connectors";

    /// <summary>Zendesk's rate limits reset within a minute; a longer wait than this is a sign to stop and try on the next schedule.</summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromMinutes(5);

    private const int MaxRateLimited = 8;
    private const int MaxFailures = 3;

    /// <summary>Basic auth as Zendesk (<c>{email}/token:{token}</c>) and Atlassian (<c>{email}:{token}</c>) want it.</summary>
    public static AuthenticationHeaderValue Basic(string user, string secret) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{secret}")));

    /// <summary>The response (2xx, or 404/410 when <paramref name="missingIsFine"/>); the caller disposes it.</summary>
    public async Task<HttpResponseMessage> GetAsync(Uri uri, CancellationToken cancellationToken, bool missingIsFine = false, string accept = "application/json")
    {
        var rateLimited = 0;
        var failures = 0;
        while (true)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, uri);
            request.Headers.Accept.ParseAdd(accept);
            if (userAgent is not null)
            {
                request.Headers.UserAgent.ParseAdd(userAgent);
            }

            if (authorization is not null && authorizedHost is not null && SameOrigin(uri, authorizedHost))
            {
                request.Headers.Authorization = authorization;
            }

            HttpResponseMessage response;
            try
            {
                response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
            }
            catch (HttpRequestException ex) when (++failures < MaxFailures)
            {
                await WaitAsync(Backoff(failures), $"GET {uri.AbsolutePath} failed ({ex.HttpRequestError})", cancellationToken);
                continue;
            }
            catch (HttpRequestException ex)
            {
                throw new ConnectorException($"GET {Describe(uri)} failed: {ex.HttpRequestError}");
            }

            if (response.IsSuccessStatusCode || (missingIsFine && response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Gone))
            {
                return response;
            }

            var status = (int)response.StatusCode;
            if (response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable && ++rateLimited <= MaxRateLimited)
            {
                var wait = RetryAfter(response.Headers.RetryAfter) ?? Backoff(rateLimited);
                response.Dispose();
                if (wait > MaxWait)
                {
                    throw new ConnectorException($"GET {Describe(uri)}: asked to wait {wait}, longer than {MaxWait}; the next sync resumes", status);
                }

                await WaitAsync(wait, $"{status} from {uri.Host}: waiting as Retry-After asks", cancellationToken);
                continue;
            }

            if (status >= 500 && ++failures < MaxFailures)
            {
                response.Dispose();
                await WaitAsync(Backoff(failures), $"{status} from {uri.Host}", cancellationToken);
                continue;
            }

            response.Dispose();
            throw new ConnectorException($"GET {Describe(uri)} answered {status} {response.ReasonPhrase}", status);
        }
    }

    /// <summary>The response body, read as text.</summary>
    public async Task<string> GetStringAsync(Uri uri, CancellationToken cancellationToken)
    {
        using var response = await GetAsync(uri, cancellationToken);
        return await response.Content.ReadAsStringAsync(cancellationToken);
    }

    public Task WaitAsync(TimeSpan delay, string reason, CancellationToken cancellationToken)
    {
        if (delay <= TimeSpan.Zero)
        {
            return Task.CompletedTask;
        }

        observer.Waiting(delay, reason);
        return Task.Delay(delay, time, cancellationToken);
    }

    internal TimeSpan? RetryAfter(RetryConditionHeaderValue? header)
    {
        if (header?.Delta is { } delta)
        {
            return delta;
        }

        return header?.Date is { } date ? (date - time.GetUtcNow()) is var left && left > TimeSpan.Zero ? left : TimeSpan.Zero : null;
    }

    private static TimeSpan Backoff(int attempt) => TimeSpan.FromSeconds(Math.Min(60, Math.Pow(2, attempt)));

    private static bool SameOrigin(Uri a, Uri b) =>
        a.Scheme == b.Scheme && string.Equals(a.Host, b.Host, StringComparison.OrdinalIgnoreCase) && a.Port == b.Port;

    /// <summary>The path only: queries can carry search terms, never worth a log line.</summary>
    private static string Describe(Uri uri) => $"{uri.Scheme}://{uri.Authority}{uri.AbsolutePath}";
}
