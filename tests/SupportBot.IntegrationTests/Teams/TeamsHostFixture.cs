using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using SupportBot.Core.State;
using SupportBot.IntegrationTests.Infrastructure;

namespace SupportBot.IntegrationTests.Teams;

/// <summary>The real host with Teams enabled against a Bot Framework stand-in; one tenant allowed.</summary>
public sealed class TeamsHostFixture : IAsyncLifetime
{
    public BotFrameworkStandIn BotFramework { get; private set; } = null!;

    public BotHost Host { get; private set; } = null!;

    /// <summary>A published key endorsed only for the <c>skype</c> channel.</summary>
    public Microsoft.IdentityModel.Tokens.RsaSecurityKey SkypeOnlyKey { get; } = BotFrameworkStandIn.NewKey("skype-only-key");

    public async Task InitializeAsync()
    {
        BotFramework = await BotFrameworkStandIn.StartAsync();
        BotFramework.PublishKey(SkypeOnlyKey, "skype");
        Host = await BotHost.StartAsync(BotFramework.HostSettings($"Teams:AllowedTenants={BotFrameworkStandIn.Tenant}"));
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await BotFramework.DisposeAsync();
    }

    /// <summary>True when the host took the activity (its delivery is claimed in the dedupe store).</summary>
    public async Task<bool> WasTakenAsync(JsonObject activity)
    {
        var key = $"inbound:teams:{activity["conversation"]!["id"]}|{activity["id"]}";
        var deduplicator = Host.Services.GetRequiredService<IDeduplicator>();
        if (await deduplicator.TryClaimAsync(key, TimeSpan.FromSeconds(1), CancellationToken.None))
        {
            await deduplicator.ReleaseAsync(key, CancellationToken.None);
            return false;
        }

        return true;
    }

    /// <summary>Connector requests addressed to <paramref name="conversationId"/>.</summary>
    public IReadOnlyList<ConnectorRequest> RequestsFor(string conversationId) =>
        [.. BotFramework.ConnectorRequests.Where(r => r.RawTarget.Contains(Uri.EscapeDataString(conversationId), StringComparison.Ordinal))];

    public async Task<IReadOnlyList<ConnectorRequest>> WaitForRequestsAsync(string conversationId, int count)
    {
        await RedisServer.WaitUntilAsync(() => Task.FromResult(RequestsFor(conversationId).Count >= count), TimeSpan.FromSeconds(20), $"fewer than {count} Connector requests for {conversationId}");
        return RequestsFor(conversationId);
    }
}
