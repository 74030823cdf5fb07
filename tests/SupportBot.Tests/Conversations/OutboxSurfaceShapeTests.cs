using System.Reflection;
using SupportBot.Core.Surfaces;

namespace SupportBot.Tests.Conversations;

/// <summary>
/// The outbox wraps every surface the pipeline talks to; a member it does not declare falls back to the interface's
/// default (doing nothing) instead of reaching the platform. Every member of <see cref="IChatSurface"/> must be its own.
/// </summary>
public sealed class OutboxSurfaceShapeTests
{
    [Fact]
    public void The_outbox_surface_forwards_every_member_of_the_chat_surface()
    {
        var map = typeof(OutboxSurface).GetInterfaceMap(typeof(IChatSurface));
        var notForwarded = map.InterfaceMethods
            .Where((method, i) => map.TargetMethods[i].DeclaringType != typeof(OutboxSurface))
            .Select(m => m.Name)
            .ToList();

        Assert.Empty(notForwarded);
    }
}
