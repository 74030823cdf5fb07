using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SupportBot.Core.Queue;
using SupportBot.Host;
using SupportBot.IntegrationTests.Infrastructure;
using SupportBot.Redis;

namespace SupportBot.IntegrationTests.Hosting;

/// <summary>Secrets mounted as files (Kubernetes secret volumes, compose secrets) configure the host, one file per key.</summary>
public sealed class SecretFilesTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("secrets-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task A_file_per_key_sets_it_and_the_command_line_still_wins()
    {
        await File.WriteAllTextAsync(Path.Combine(_folder, "Redis__KeyPrefix"), "from-a-file\n");
        await File.WriteAllTextAsync(Path.Combine(_folder, "Queue__MaxBacklog"), "100");

        await using var app = SupportBotWebApp.Create(
        [
            $"--SecretsDirectory={_folder}", "--Queue:MaxBacklog=9",
            "--urls=http://127.0.0.1:0", $"--Knowledge:IndexPath={BotHost.SharedIndexPath}", "--WarmUp:Rounds=0",
        ]);

        Assert.Equal("from-a-file", app.Services.GetRequiredService<IOptions<RedisOptions>>().Value.KeyPrefix);
        Assert.Equal(9, app.Services.GetRequiredService<IOptions<QueueOptions>>().Value.MaxBacklog);
    }

    [Fact]
    public void A_secrets_folder_that_does_not_exist_is_a_clear_error()
    {
        var error = Assert.Throws<InvalidOperationException>(() => SupportBotWebApp.Create([$"--SecretsDirectory={Path.Combine(_folder, "missing")}"]));
        Assert.Contains("SecretsDirectory", error.Message, StringComparison.Ordinal);
    }
}
