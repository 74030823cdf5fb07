using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace SupportBot.IntegrationTests.Teams;

/// <summary>Activities shaped like the ones Teams sends (see the Bot Framework and Teams docs' examples).</summary>
internal static class TeamsActivities
{
    public const string Channel = "19:6848757105754c8981c67612732d9aa7@thread.tacv2";
    public const string User = "29:17bUvCasIPKfQIXHvNzcPjD86fwm6GkWc1PvCGP2-NSkNb7AyGYpjQ7Xw-XgTwaHW5JxZ4KMNDxn1kcL8fwX1Nw";

    public static string NewId() => Random.Shared.NextInt64(1_700_000_000_000, 1_800_000_000_000).ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static JsonObject Personal(string serviceUrl, string text, string? id = null, string? conversationId = null, string tenant = BotFrameworkStandIn.Tenant) => new()
    {
        ["type"] = "message",
        ["id"] = id ?? NewId(),
        ["timestamp"] = DateTimeOffset.UtcNow.ToString("O"),
        ["serviceUrl"] = serviceUrl,
        ["channelId"] = "msteams",
        ["from"] = new JsonObject { ["id"] = User, ["name"] = "Megan Bowen", ["aadObjectId"] = "7faf8ab2-3d56-4244-b585-20c8a42ed2b8" },
        ["conversation"] = new JsonObject { ["conversationType"] = "personal", ["tenantId"] = tenant, ["id"] = conversationId ?? "a:1" + Guid.NewGuid().ToString("N") },
        ["recipient"] = new JsonObject { ["id"] = BotFrameworkStandIn.BotId, ["name"] = "SupportBot" },
        ["textFormat"] = "plain",
        ["text"] = text,
        ["entities"] = new JsonArray(new JsonObject { ["locale"] = "en-US", ["country"] = "US", ["platform"] = "Web", ["type"] = "clientInfo" }),
        ["channelData"] = new JsonObject { ["tenant"] = new JsonObject { ["id"] = tenant } },
        ["locale"] = "en-US",
    };

    /// <summary>A channel message: a new post (<paramref name="threadRoot"/> null) or a reply in a thread.</summary>
    public static JsonObject ChannelMessage(string serviceUrl, string text, bool mentionBot, string? threadRoot = null, string? id = null)
    {
        var activityId = id ?? NewId();
        var entities = new JsonArray();
        if (mentionBot)
        {
            text = "<at>SupportBot</at> " + text;
            entities.Add(new JsonObject
            {
                ["mentioned"] = new JsonObject { ["id"] = BotFrameworkStandIn.BotId, ["name"] = "SupportBot" },
                ["text"] = "<at>SupportBot</at>",
                ["type"] = "mention",
            });
        }

        entities.Add(new JsonObject { ["locale"] = "en-US", ["type"] = "clientInfo" });
        return new JsonObject
        {
            ["type"] = "message",
            ["channelId"] = "msteams",
            ["text"] = text,
            ["id"] = activityId,
            ["serviceUrl"] = serviceUrl,
            ["channelData"] = new JsonObject
            {
                ["teamsChannelId"] = Channel,
                ["channel"] = new JsonObject { ["id"] = Channel },
                ["team"] = new JsonObject { ["id"] = "19:66P469zibfbsGI-_a0aN_toLTZpyzS6u7CT3TsXdgPw1@thread.tacv2" },
                ["tenant"] = new JsonObject { ["id"] = BotFrameworkStandIn.Tenant },
            },
            ["from"] = new JsonObject { ["id"] = User, ["name"] = "rido" },
            ["recipient"] = new JsonObject { ["id"] = BotFrameworkStandIn.BotId, ["name"] = "SupportBot" },
            ["conversation"] = new JsonObject
            {
                ["id"] = $"{Channel};messageid={threadRoot ?? activityId}",
                ["isGroup"] = true,
                ["conversationType"] = "channel",
                ["tenantId"] = BotFrameworkStandIn.Tenant,
            },
            ["entities"] = entities,
            ["textFormat"] = "plain",
            ["timestamp"] = DateTimeOffset.UtcNow.ToString("O"),
        };
    }

    public static async Task<HttpResponseMessage> PostAsync(HttpClient client, JsonObject activity, string? token) =>
        await PostRawAsync(client, activity.ToJsonString(), token);

    public static async Task<HttpResponseMessage> PostRawAsync(HttpClient client, string body, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/messages", UriKind.Relative))
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await client.SendAsync(request);
    }
}
