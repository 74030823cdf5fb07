using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SupportBot.Core.Channels;
using SupportBot.Core.Conversations;
using SupportBot.IntegrationTests.Infrastructure;

namespace SupportBot.IntegrationTests.Hosting;

/// <summary>
/// The channel settings admin API on two replicas sharing a real Redis: a save is checked first, applies on the saving
/// replica at once and on the other within its reload interval; a revert brings the file back.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class ChannelSettingsTests(SharedRedis redis) : IAsyncLifetime
{
    private readonly string _prefix = SharedRedis.NewPrefix();
    private string _folder = null!;
    private string _file = null!;

    public async Task InitializeAsync()
    {
        _folder = Directory.CreateTempSubdirectory("supportbot-channels-").FullName;
        _file = Path.Combine(_folder, "channels.yaml");
        await File.WriteAllTextAsync(_file, "channels:\n  slack:C1:\n    mode: off\n");
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }

    private string[] Settings() =>
        [$"Redis:Configuration={redis.Configuration}", $"Redis:KeyPrefix={_prefix}", $"Channels:File={_file}", "Channels:ReloadInterval=00:00:01"];

    private static ChannelMode ModeOf(BotHost host, string channel) =>
        host.Services.GetRequiredService<ChannelDirectory>().For(new ConversationRef("slack", channel, "1.1")).Mode;

    [Fact]
    public async Task A_saved_version_reaches_every_replica_and_a_revert_brings_the_file_back()
    {
        await using var a = await BotHost.StartAsync(Settings());
        await using var b = await BotHost.StartAsync(Settings());
        var before = await a.Client.GetFromJsonAsync<JsonElement>("/api/channels");
        Assert.Equal("file", before.GetProperty("source").GetString());
        Assert.Contains("mode: off", before.GetProperty("text").GetString(), StringComparison.Ordinal);

        using (var refused = await a.Client.PutAsJsonAsync("/api/channels", new { text = "channels:\n  slack:C1:\n    mode: loud\n" }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains("mode 'loud' is not one of", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString(), StringComparison.Ordinal);
        }

        using (var saved = await a.Client.PutAsJsonAsync("/api/channels", new { text = "channels:\n  slack:C1:\n    mode: answer\n    dailyCap: 10\n" }))
        {
            Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
            var body = await saved.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("saved", body.GetProperty("source").GetString());
            Assert.Equal(10, body.GetProperty("channels")[0].GetProperty("dailyCap").GetInt32());
        }

        Assert.Equal(ChannelMode.Answer, ModeOf(a, "C1"));
        await RedisServer.WaitUntilAsync(() => Task.FromResult(ModeOf(b, "C1") == ChannelMode.Answer), TimeSpan.FromSeconds(10), "the other replica never applied the save");

        using (var reverted = await b.Client.DeleteAsync(new Uri("/api/channels", UriKind.Relative)))
        {
            Assert.Equal("file", (await reverted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("source").GetString());
        }

        await RedisServer.WaitUntilAsync(() => Task.FromResult(ModeOf(a, "C1") == ChannelMode.Off), TimeSpan.FromSeconds(10), "the first replica never went back to the file");
    }
}
