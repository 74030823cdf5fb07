using System.Net.Http.Headers;
using System.Text;

namespace SupportBot.Slack.Commands;

/// <summary>Posts to a command's or interaction's <c>response_url</c> (up to five times within 30 minutes).</summary>
public sealed class SlackResponseUrl(IHttpClientFactory clients)
{
    public const string HttpClientName = "slack-response-url";

    public async Task PostAsync(string responseUrl, SlashCommandResponse response, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(response);
        var url = new Uri(responseUrl, UriKind.Absolute);
        if (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp)
        {
            throw new InvalidOperationException("response_url must be an http(s) URL.");
        }

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
