namespace SupportBot.IntegrationTests.Infrastructure;

/// <summary>
/// The Redis the tests share: the one the test script started (<c>SUPPORTBOT_TEST_REDIS</c>), else one
/// started here. Tests isolate themselves with their own key prefix.
/// </summary>
public sealed class SharedRedis : IAsyncLifetime
{
    private RedisServer? _owned;

    public string Configuration { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        if (Environment.GetEnvironmentVariable("SUPPORTBOT_TEST_REDIS") is { Length: > 0 } configured)
        {
            Configuration = configured;
            return;
        }

        _owned = await RedisServer.StartAsync();
        Configuration = _owned.Configuration;
    }

    public async Task DisposeAsync()
    {
        if (_owned is not null)
        {
            await _owned.DisposeAsync();
        }
    }

    public static string NewPrefix() => "t" + Guid.NewGuid().ToString("N")[..10];
}

[CollectionDefinition(Name)]
public sealed class RedisCollection : ICollectionFixture<SharedRedis>
{
    public const string Name = "redis";
}
