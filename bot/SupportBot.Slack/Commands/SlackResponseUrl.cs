using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Options;

namespace SupportBot.Slack.Commands;

/// <summary>
/// Posts to a command's or interaction's <c>response_url</c> (up to five times within 30 minutes). The URL comes
/// in the request, so it is used only on Slack's own hooks host over https (or a host listed in
/// <c>Slack:ResponseUrlHosts</c>, as tests do): a forged payload cannot make the bot post answers elsewhere.
/// The URL is a bearer capability; it is never logged.
/// </summary>
internal sealed class SlackResponseUrl(IHttpClientFactory clients, IOptions<SlackOptions> options)
{
    public const string HttpClientName = "slack-response-url";

    /// <summary>True when <paramref name="responseUrl"/> is Slack's (or a configured) response URL host.</summary>
    public bool IsAllowed(string? responseUrl)
    {
        if (!Uri.TryCreate(responseUrl, UriKind.Absolute, out var url))
        {
            return false;
        }

        if (url.Scheme == Uri.UriSchemeHttps && string.Equals(url.IdnHost, SlackOptions.SlackHooksHost, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return (url.Scheme == Uri.UriSchemeHttps || url.Scheme == Uri.UriSchemeHttp)
            && options.Value.ResponseUrlHosts.Any(h => string.Equals(h, url.Authority, StringComparison.OrdinalIgnoreCase) || string.Equals(h, url.Host, StringComparison.OrdinalIgnoreCase));
    }

    public async Task PostAsync(string responseUrl, SlashCommandResponse response, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (!IsAllowed(responseUrl))
        {
            throw new InvalidOperationException("response_url is not on Slack's hooks host; nothing was sent.");
        }

        var url = new Uri(responseUrl, UriKind.Absolute);

        var json = response.ToJson();
        json["replace_original"] = false;
        using var content = new StringContent(json.ToJsonString(), Encoding.UTF8);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/json; charset=utf-8");
        using var answer = await clients.CreateClient(HttpClientName).PostAsync(url, content, cancellationToken);
        answer.EnsureSuccessStatusCode();
    }

    /// <summary>
    /// Posts <paramref name="response"/> once it is ready, off the caller's path (Slack waits only 3 s for an
    /// acknowledgement); a failure is handed to <paramref name="failed"/>.
    /// </summary>
    public void PostInBackground(string responseUrl, Task<SlashCommandResponse> response, Action<Exception> failed)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(failed);
        _ = Task.Run(async () =>
        {
            try
            {
                await PostAsync(responseUrl, await response, CancellationToken.None);
            }
            catch (Exception ex)
            {
                failed(ex);
            }
        }, CancellationToken.None);
    }
}
